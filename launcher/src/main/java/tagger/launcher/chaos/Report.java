package tagger.launcher.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What one experiment showed: the calls by outcome, LOST (accepted or sent, never answered), DUPLICATES
 * (one request id answered twice, or a bulk item with two outcomes), WRONG (an answer for another
 * image), the slowest answer against the deadline, how fast 503s came once the fault began, and the
 * time from the component's return to the first 200 — and which targets were missed.
 */
record Report(Fault fault, int requests, Map<String, Integer> outcomes, int lost, int duplicates, int wrong,
        long maxLatencyMs, long maxServerMs, long slowest503Ms, long recoveryMs, long deadlineMs, List<String> notes,
        List<String> misses) {
    /** A 503 during an outage must come at once: by the store probe (250 ms) plus a loaded machine. */
    static final long FAST_503_MS = 1_000;
    /** The target: the first 200 within a second of the component's return. */
    static final long RECOVERY_MS = 1_000;
    /** The target for the bulkhead: every answer by its deadline + 100 ms. */
    static final long DEADLINE_SLACK_MS = 100;

    static Report of(Fault fault, List<Ledger.Call> calls, Marks marks, long deadlineMs) {
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        int lost = marks.bulkLost;
        int wrong = marks.bulkWrong;
        long maxLatency = 0;
        long maxServer = -1;
        long slowest503 = -1;
        Set<String> ids = new HashSet<>();
        int duplicates = marks.bulkDuplicates;
        for (Ledger.Call c : calls) {
            outcomes.merge(c.kind() + " " + c.outcome(), 1, Integer::sum);
            if (c.message() != null) {
                examples.putIfAbsent(c.kind() + " " + c.outcome(), c.message());
            }
            if (!c.answered()) {
                lost++;
                continue;
            }
            wrong += c.wrong() ? 1 : 0;
            if (c.requestId() != null && !ids.add(c.requestId())) {
                duplicates++;
            }
            if (!c.kind().equals("upload")) {
                maxLatency = Math.max(maxLatency, c.latencyMs());
                maxServer = Math.max(maxServer, c.serverMs());
            }
            if (c.status() == 503 && marks.faultAt > 0) {
                // from when it was sent, or from the fault when it was already waiting
                slowest503 = Math.max(slowest503, (c.doneNanos() - Math.max(c.sentNanos(), marks.faultAt)) / 1_000_000);
            }
        }
        long recovery = marks.backAt > 0 && marks.recoveredAt > 0 ? (marks.recoveredAt - marks.backAt) / 1_000_000 : -1;
        List<String> misses = new ArrayList<>(marks.misses);
        if (lost > 0) {
            misses.add(lost + " lost");
        }
        if (duplicates > 0) {
            misses.add(duplicates + " duplicate");
        }
        if (wrong > 0) {
            misses.add(wrong + " wrong");
        }
        if (fault.isOutage()) {
            if (slowest503 > FAST_503_MS) {
                misses.add("a 503 took " + slowest503 + " ms after the fault (target <= " + FAST_503_MS + " ms)");
            }
            if (recovery < 0) {
                misses.add("no 200 after the component came back");
            } else if (recovery > RECOVERY_MS) {
                misses.add("first 200 " + recovery + " ms after the component came back (target <= " + RECOVERY_MS
                        + " ms)");
            }
        }
        // by the api-server's clock (receipt to answer): what it controls; the caller's figure adds this
        // machine's scheduling of both JVMs and is printed beside it
        if (fault == Fault.HANGING_HOST && maxServer > deadlineMs + DEADLINE_SLACK_MS) {
            misses.add("slowest answer " + maxServer + " ms by the server's clock (target <= deadline " + deadlineMs
                    + " + " + DEADLINE_SLACK_MS + " ms)");
        }
        if (fault == Fault.WORKER_KILL || fault == Fault.HANGING_HOST || fault == Fault.UPLOAD_FLOOD
                || fault == Fault.BULK_WORKER_KILL) {
            // no component is down: every image on the healthy origin must be tagged
            long failed = calls.stream().filter(c -> c.kind().equals("url") && c.status() != 200).count();
            if (failed > 0) {
                misses.add(failed + " healthy-origin calls not answered 200");
            }
        }
        if (fault == Fault.UPLOAD_FLOOD) {
            long not413 = calls.stream().filter(c -> c.kind().equals("upload") && c.status() != 413).count();
            if (not413 > 0) {
                misses.add(not413 + " oversized uploads not answered 413");
            }
        }
        int requests = calls.size() + marks.bulkItems;
        List<String> notes = new ArrayList<>(marks.notes);
        examples.forEach((outcome, message) -> notes.add(outcome + ", e.g.: " + message));
        return new Report(fault, requests, outcomes, lost, duplicates, wrong, maxLatency, maxServer, slowest503, recovery,
                deadlineMs, notes, misses);
    }

    boolean met() {
        return misses.isEmpty();
    }

    void print(PrintStream out) {
        out.printf("%n== %s: %s%n", fault.key, fault.description);
        out.printf("   requests %d; answers: %s%n", requests, outcomes.entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", ")));
        out.printf("   LOST %d  DUPLICATES %d  WRONG %d  max latency %d ms caller / %s server (deadline %d ms)"
                + "  slowest 503 after fault %s  recovery %s%n", lost, duplicates, wrong, maxLatencyMs, ms(maxServerMs),
                deadlineMs, ms(slowest503Ms), ms(recoveryMs));
        notes.forEach(n -> out.println("   " + n));
        out.println("   targets: " + (met() ? "met" : "MISSED: " + String.join("; ", misses)));
    }

    /** One Markdown table row (docs/reliability.md). */
    String row() {
        return "| " + fault.key + " | " + requests + " | " + lost + " | " + duplicates + " | " + wrong + " | "
                + maxLatencyMs + " ms / " + ms(maxServerMs) + " | " + ms(slowest503Ms) + " | " + ms(recoveryMs) + " | "
                + (met() ? "met" : "**missed**: " + String.join("; ", misses)) + " |";
    }

    static String header() {
        return "| experiment | requests | lost | dup | wrong | max latency caller / server | slowest 503 after fault | recovery | targets |\n"
                + "|---|---|---|---|---|---|---|---|---|";
    }

    private static String ms(long v) {
        return v < 0 ? "-" : v + " ms";
    }
}
