package tagger.launcher.chaos;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every call of one experiment as the caller saw it. Thread-safe: answers arrive on the HTTP client's threads. */
final class Ledger {

    /**
     * One call.
     *
     * @param kind      what was sent: "url" (healthy origin), "hang" (the origin that never answers), "upload", "probe"
     * @param sentNanos when it went out ({@link System#nanoTime()})
     * @param doneNanos when its answer (or transport failure) came
     * @param status    the HTTP status, 0 when no answer came (a transport error or the client's timeout)
     * @param code      {@code error.code} of a refusal, "transport:..." without an answer, else null
     * @param requestId the answer's {@code requestId}, null without one
     * @param wrong     a 200 whose result is not for the image asked about (another URL, or no tags)
     * @param message   the refusal's {@code error.message} (or the transport error), else null
     * @param serverMs  the answer's {@code timings.total}: receipt to answer by the api-server's clock, -1 without
     */
    record Call(String kind, long sentNanos, long doneNanos, int status, String code, String requestId, boolean wrong,
            String message, long serverMs) {

        boolean answered() {
            return status > 0;
        }

        long latencyMs() {
            return (doneNanos - sentNanos) / 1_000_000;
        }

        /** "200", "503 unavailable", "no answer (transport:timeout)". */
        String outcome() {
            if (!answered()) {
                return "no answer (" + code + ")";
            }
            return code == null ? Integer.toString(status) : status + " " + code;
        }
    }

    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    void add(Call call) {
        calls.add(call);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }
}
