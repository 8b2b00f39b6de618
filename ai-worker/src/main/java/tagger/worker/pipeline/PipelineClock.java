package tagger.worker.pipeline;

/**
 * The pipeline's one clock: wall-clock milliseconds for deadlines and ages measured from other
 * machines' stamps, a monotonic nanosecond count for durations measured here (batch waits, inference).
 */
public interface PipelineClock {
    /** The system's clocks: {@link System#currentTimeMillis} and {@link System#nanoTime}. */
    PipelineClock SYSTEM = new PipelineClock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };

    long millis();

    long nanoTime();
}
