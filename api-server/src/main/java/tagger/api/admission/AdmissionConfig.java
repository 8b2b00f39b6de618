package tagger.api.admission;

import java.time.Duration;
import tagger.common.Settings;

/**
 * How the api-server decides what it can accept.
 *
 * @param storeCheckInterval how often the result store is probed; a store that goes down is noticed
 *                           within this plus the Redis client's timeouts (about 1 s to connect, 2 s to read)
 * @param uploadBudgetBytes  bytes of request bodies admitted and not yet answered, all requests together;
 *                           at least the byte cap, so that one body of the largest size always fits
 */
public record AdmissionConfig(Duration storeCheckInterval, long uploadBudgetBytes) {

    /** Reads {@code TAGGER_STORE_CHECK_MS} and {@code TAGGER_UPLOAD_BUDGET_BYTES}. */
    public static AdmissionConfig read(Settings s, long maxImageBytes) {
        AdmissionConfig c = new AdmissionConfig(s.millis("TAGGER_STORE_CHECK_MS", 250, 10, 60_000),
                s.longValue("TAGGER_UPLOAD_BUDGET_BYTES", Math.max(128L << 20, maxImageBytes), 1_024, 64L << 30));
        if (c.uploadBudgetBytes < maxImageBytes) {
            s.problem("TAGGER_UPLOAD_BUDGET_BYTES (" + c.uploadBudgetBytes + ") must be at least TAGGER_MAX_IMAGE_BYTES ("
                    + maxImageBytes + "): an upload of the largest allowed size could never be admitted");
        }
        return c;
    }
}
