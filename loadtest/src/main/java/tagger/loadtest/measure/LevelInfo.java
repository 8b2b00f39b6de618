package tagger.loadtest.measure;

/**
 * Which level a result belongs to.
 *
 * @param offeredRate   requests per second the schedule offered in the measured window (open loop)
 * @param concurrency   clients (closed loop)
 * @param windowSeconds length of the measured window (warm-up excluded)
 */
public record LevelInfo(int index, String label, String model, Double offeredRate, Integer concurrency,
        double windowSeconds) {
}
