package tagger.loadtest.sweep;

/** How a run ended, and the process exit code that says so (documented in loadtest/README.md). */
public enum Verdict {
    /** Every level was valid and met the SLO (or there was no SLO). */
    PASSED(0),
    /** The first requests did not come back tagged, so no load was offered. */
    VALIDATION_FAILED(3),
    /** The generator could not keep its schedule: the numbers are not the server's. */
    INVALID(4),
    /** A valid level missed the SLO (or a knee search found no rate meeting it). */
    SLO_MISSED(99);

    private final int exitCode;

    Verdict(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
