package tagger.api.cluster;

import java.util.List;

/**
 * Where the operator view learns about running bulk migrations: their progress for the tables, and
 * their pending items and targets for the recommended worker count. The bulk batches code implements
 * it; {@link #none()} reports nothing running.
 */
public interface MigrationProgress {

    /**
     * One running migration (a bulk batch), with the figures {@code GET /v1/batches/{id}} shows: the
     * four counts add up to {@code total}.
     *
     * @param status          "running" or "cancelled" (a cancelled batch runs until its pending items are
     *                        marked)
     * @param tagged          items answered with tags
     * @param failed          items answered with an error
     * @param cancelled       items ended by the cancellation
     * @param pending         items without an outcome yet
     * @param imagesPerSecond the batch's current rate ({@code ratePerSecond})
     * @param etaSeconds      pending ÷ that rate, null while no rate is known
     * @param deadlineAt      when its client wants it finished (epoch ms), 0 when it named no target
     */
    record Migration(String id, String status, long total, long tagged, long failed, long cancelled, long pending,
            double imagesPerSecond, Double etaSeconds, long deadlineAt) {
    }

    /**
     * The migrations not finished yet.
     *
     * @throws RuntimeException when they cannot be read (the store is unreachable)
     */
    List<Migration> running();

    static MigrationProgress none() {
        return List::of;
    }
}
