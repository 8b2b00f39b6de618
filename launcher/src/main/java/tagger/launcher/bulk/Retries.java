package tagger.launcher.bulk;

import java.io.IOException;
import tagger.common.Backoff;

/**
 * Calls to the service that a migration waits out rather than gives up on: connection failures and
 * {@code 429}/{@code 503}/{@code 409} answers are retried with backoff (1 s doubling to 30 s, or the
 * answer's {@code Retry-After}), saying so on the console; a Ctrl-C stops the wait.
 */
final class Retries {
    private static final long MAX_MS = 30_000;

    /** A call that may throw IOException. */
    interface Call<T> {
        T run() throws IOException;
    }

    private Retries() {
    }

    static <T> T call(Migration.Console console, String what, Call<T> call) throws InterruptedException, IOException {
        Backoff backoff = new Backoff(1_000, MAX_MS, Backoff.NO_JITTER);
        while (true) {
            String why;
            long wait = backoff.next();
            try {
                T result = call.run();
                if (!(result instanceof BatchClient.Answer a) || !retryable(a.status())) {
                    return result;
                }
                why = "HTTP " + a.status();
                String retryAfter = a.header("Retry-After");
                if (retryAfter != null && retryAfter.matches("[0-9]{1,5}")) {
                    wait = Math.max(1_000, Long.parseLong(retryAfter) * 1_000);
                }
            } catch (IOException e) {
                if (e.getCause() instanceof InterruptedException) {
                    throw new InterruptedException("stopped; continue with --resume");
                }
                why = e.getMessage() == null ? e.toString() : e.getMessage();
            }
            console.say(what + " failed (" + why + "); trying again in " + wait / 1000 + " s");
            Thread.sleep(wait);
        }
    }

    static boolean retryable(int status) {
        return status == 409 || status == 429 || status == 502 || status == 503 || status == 504;
    }
}
