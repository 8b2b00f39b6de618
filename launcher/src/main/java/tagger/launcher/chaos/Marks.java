package tagger.launcher.chaos;

import java.util.ArrayList;
import java.util.List;

/** When an experiment's fault began and ended, when the first 200 came after, and what else it found. */
final class Marks {
    volatile long faultAt;
    volatile long backAt;
    volatile long recoveredAt;
    /** Figures that are not calls (the bulk batch's counts), in words, for the report. */
    final List<String> notes = new ArrayList<>();
    /** Targets the fault itself checked and missed (e.g. a batch not reported lost). */
    final List<String> misses = new ArrayList<>();
    /** Items lost, duplicated or wrong in a bulk batch (added to the calls' counts). */
    volatile int bulkLost;
    volatile int bulkDuplicates;
    volatile int bulkWrong;
    volatile int bulkItems;

    synchronized void note(String text) {
        notes.add(text);
    }

    synchronized void miss(String text) {
        misses.add(text);
    }
}
