package tagger.common;

import java.util.Map;

/**
 * What a worker announces about itself every few seconds, stored in Redis with a short TTL so that a
 * crashed worker disappears on its own. Rates and shares cover the last {@code windowSeconds}.
 *
 * @param maxBatch        most images per inference call
 * @param startedAt       epoch ms when the worker started
 * @param heartbeatAt     epoch ms of this announcement
 * @param imagesPerSecond results stored per second, all traffic classes
 * @param utilisation     busy share of its bottleneck stage (inference thread or decode pool), 0..1
 * @param dutyCycle       share of wall time inside the model over the last full duty-cycle window
 * @param batchSizeP50    median images per inference call (0 when none ran)
 * @param inFlight        jobs received and not yet answered
 * @param classes         per traffic class key ("realtime", "bulk"): what was answered
 * @param jpegDecoder     {@code turbojpeg} or {@code imageio}: which decoder its JPEGs go through
 * @param pixels          fingerprint of the pixels an edge payload must hold for its model
 *                        (e.g. {@code 224x224-crop256}); api-servers preprocess for it
 */
public record WorkerPresence(
        String id,
        ModelRef model,
        String device,
        int maxBatch,
        long startedAt,
        long heartbeatAt,
        double windowSeconds,
        double imagesPerSecond,
        double utilisation,
        double dutyCycle,
        double batchSizeP50,
        int inFlight,
        Map<String, ClassActivity> classes,
        String jpegDecoder,
        String pixels) {

    public static final String KIND = "worker";

    /** An announcement that says nothing about decoding (as older workers send). */
    public WorkerPresence(String id, ModelRef model, String device, int maxBatch, long startedAt, long heartbeatAt,
            double windowSeconds, double imagesPerSecond, double utilisation, double dutyCycle, double batchSizeP50,
            int inFlight, Map<String, ClassActivity> classes) {
        this(id, model, device, maxBatch, startedAt, heartbeatAt, windowSeconds, imagesPerSecond, utilisation, dutyCycle,
                batchSizeP50, inFlight, classes, null, null);
    }

    /**
     * What one traffic class saw during the window.
     *
     * @param answered results stored (tags or errors)
     * @param errors   error results by error code
     * @param latency  base64 of a compressed HdrHistogram of the {@code total} milliseconds (api-server
     *                 receipt to result stored) of the successful ones, so that readers can merge
     *                 percentiles across workers exactly
     */
    public record ClassActivity(long answered, Map<String, Long> errors, String latency) {
    }
}
