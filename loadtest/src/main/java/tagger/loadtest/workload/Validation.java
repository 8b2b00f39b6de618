package tagger.loadtest.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The check before any load: a few requests per workload, one at a time and without injected
 * faults, must come back tagged. Otherwise every number after it would describe a broken setup
 * (llm-load-test's validation phase, which it later dropped).
 */
public final class Validation {
    private Validation() {
    }

    /** What the validation found: empty problems means the system answers. */
    public record Result(int requests, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    /** Sends {@code perWorkload} requests to each workload, using indices from {@code firstIndex}. */
    public static Result run(List<Workload> workloads, int perWorkload, long firstIndex, Duration timeout)
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        long index = firstIndex;
        int sent = 0;
        for (Workload w : workloads) {
            for (int i = 1; i <= perWorkload; i++) {
                sent++;
                Exchange e;
                try {
                    e = w.issue(index++, false).get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException ex) {
                    e = Exchange.transportFailure(w.name(), "timeout", ex);
                }
                if (!e.success()) {
                    problems.add("validation request " + i + " of " + perWorkload + " (" + w.name() + ") "
                            + describe(e) + hint(e));
                    break; // one failure per workload says enough
                }
            }
        }
        return new Result(sent, List.copyOf(problems));
    }

    private static String describe(Exchange e) {
        if (e.transportError() != null) {
            return "got no answer (" + e.transportError() + ": " + e.detail() + ")";
        }
        if (e.status() / 100 == 2) {
            return "came back " + e.status() + " with " + e.imagesTagged() + " of " + e.images()
                    + " images tagged: " + e.detail();
        }
        return "failed: " + e.detail();
    }

    private static String hint(Exchange e) {
        if (e.itemErrors().contains("blocked_address")) {
            return " — the api-server refuses to fetch from the load test's origin on a private address; start it "
                    + "with TAGGER_ALLOW_PRIVATE_NETWORKS=true (./tagger up --allow-private-networks)";
        }
        if ("connect".equals(e.transportError())) {
            return " — is the api-server running at that address?";
        }
        return "";
    }
}
