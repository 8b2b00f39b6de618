package tagger.transport;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tagger.common.BatchOutcome;
import tagger.common.ErrorCode;

/**
 * Where bulk batches live: options, counters, and each item's outcome — recorded at most once per
 * (batch, item) however often the item is redelivered — in a resumable, ordered results log.
 *
 * <p>Both stages write here: the api-server's download stage (terminal download errors,
 * cancellations) and, through {@link ResultStore}, the workers. Implementations: Redis and in-memory.
 */
public interface BatchStore extends AutoCloseable {

    /**
     * A batch to create; {@code idempotencyKey} (already hashed) and {@code callbackUrl} may be null;
     * {@code deadlineAt} is when the client wants it finished (epoch ms, 0 for no target), which the
     * operator view plans workers for.
     */
    record NewBatch(String batchId, String idempotencyKey, String fingerprint, Integer topK, Double minScore,
            String callbackUrl, Duration retention, long deadlineAt) {

        /** A batch without a finishing target. */
        public NewBatch(String batchId, String idempotencyKey, String fingerprint, Integer topK, Double minScore,
                String callbackUrl, Duration retention) {
            this(batchId, idempotencyKey, fingerprint, topK, minScore, callbackUrl, retention, 0);
        }
    }

    /** What {@link #claim} found: the batch it created, or the one the key (or id) already named. */
    record Claim(boolean created, Batch batch) {
    }

    /**
     * A batch as stored. Times are epoch ms, 0 when not reached yet (or, for {@code deadlineAt}, not
     * asked for); {@code items} is -1 until the intake has queued every item.
     */
    record Batch(String id, BatchState state, long items, long done, long failed, long cancelled,
            String fingerprint, Integer topK, Double minScore, String callbackUrl, String callbackState,
            long createdAt, long intakeAt, int intakes, long finishedAt, DecayingRate.Snapshot rate, long deadlineAt) {

        /** A batch without a finishing target. */
        public Batch(String id, BatchState state, long items, long done, long failed, long cancelled,
                String fingerprint, Integer topK, Double minScore, String callbackUrl, String callbackState,
                long createdAt, long intakeAt, int intakes, long finishedAt, DecayingRate.Snapshot rate) {
            this(id, state, items, done, failed, cancelled, fingerprint, topK, minScore, callbackUrl, callbackState,
                    createdAt, intakeAt, intakes, finishedAt, rate, 0);
        }

        /** Items without an outcome yet (0 while the total is unknown). */
        public long pending() {
            return items < 0 ? 0 : Math.max(0, items - done - failed - cancelled);
        }

        /** Every item has its outcome. */
        public boolean complete() {
            return finishedAt > 0;
        }
    }

    /** One line of the results log and the cursor that resumes after it. */
    record Entry(String cursor, String json) {
    }

    /** A page of the results log; {@code next} is the cursor to continue from (the given one when empty). */
    record Page(List<Entry> entries, String next) {
    }

    /** An outcome of one item of one batch. */
    record ItemResult(String batchId, BatchOutcome outcome) {
    }

    /** A finished batch whose callback this caller may now try to deliver; {@code attempt} counts from 1. */
    record CallbackClaim(String batchId, int attempt) {
    }

    /** What {@link #cancel} did. */
    enum CancelResult { CANCELLED, ALREADY_FINISHED, UNKNOWN }

    /**
     * Creates the batch in state {@link BatchState#ACCEPTING} unless its idempotency key, or its id,
     * already names a batch: then that batch is returned untouched.
     */
    Claim claim(NewBatch batch);

    /** Refreshes the intake's liveness mark so that no other instance takes the intake over. */
    void intakeAlive(String batchId);

    /**
     * Takes over the intake of a batch stuck in {@link BatchState#ACCEPTING} whose liveness mark is
     * older than {@code staleAfter} (its api-server died mid-intake); true when this caller now owns it.
     */
    boolean takeOverIntake(String batchId, Duration staleAfter);

    /** Every item is queued: records the total and makes the batch running (or complete, if every outcome is in). */
    void accepted(String batchId, long items);

    /** Records outcomes, each only if its item has none yet; returns how many were new. */
    int record(List<ItemResult> results);

    Optional<Batch> batch(String batchId);

    /** Batches whose items do not all have an outcome yet (accepting or running), for operator views. */
    List<Batch> open();

    /** Which of the given items already have an outcome. */
    Set<String> finishedItems(String batchId, Collection<String> itemIds);

    /** Which of the given batches are cancelled (unknown ids are not). */
    Set<String> cancelled(Collection<String> batchIds);

    /** Up to {@code limit} outcomes after {@code cursor} (exclusive; null for the start), oldest first. */
    Page results(String batchId, String cursor, int limit);

    CancelResult cancel(String batchId);

    /** Claims one due callback for {@code lease}; another instance may claim it again after that. */
    Optional<CallbackClaim> claimCallback(Duration lease);

    /** The callback was delivered, or given up: no more attempts; {@code state} is shown in the batch's status. */
    void callbackSettled(String batchId, String state);

    /** The callback failed this time; try again after {@code delay}. */
    void callbackRetry(String batchId, Duration delay, String state);

    boolean isReady();

    /**
     * The store's epoch: a random id written once into an empty store and kept for its life, created
     * here when missing. A value other than one read earlier means the store lost its data in between
     * (e.g. Redis restarted without persistence), so batches accepted before are gone, not expired.
     * Stores that cannot lose their data alone (in memory, with the process) keep this constant.
     *
     * @throws StoreUnavailableException when the store cannot be reached
     */
    default String epoch() {
        return "constant";
    }

    @Override
    void close();

    /** The counter an outcome increments. */
    static String counterOf(BatchOutcome outcome) {
        if (outcome.error() == null) {
            return "done";
        }
        return outcome.error().code() == ErrorCode.CANCELLED ? "cancelled" : "failed";
    }
}
