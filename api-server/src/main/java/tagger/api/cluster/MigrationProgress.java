package tagger.api.cluster;

import java.util.List;

/**
 * Where the operator view learns about running bulk migrations, to show their ETA. The bulk
 * batches code implements it; until it is wired, {@link #none()} reports nothing running.
 */
public interface MigrationProgress {

    /**
     * One running migration (a bulk batch).
     *
     * @param total     items submitted
     * @param done      items answered so far (tags or errors)
     * @param failed    of which errors
     * @param startedAt epoch ms when its first item was accepted
     */
    record Migration(String id, long total, long done, long failed, long startedAt) {
    }

    /** The migrations not finished yet. */
    List<Migration> running();

    static MigrationProgress none() {
        return List::of;
    }
}
