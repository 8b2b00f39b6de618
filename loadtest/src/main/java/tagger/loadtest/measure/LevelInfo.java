package tagger.loadtest.measure;

/**
 * Which level a result belongs to.
 *
 * @param targetRate    the mean rate asked for (open loop), e.g. 30 for "--rates 30"
 * @param offeredRate   requests per second the schedule actually held in the measured window (open loop;
 *                      a Poisson schedule differs from the target by chance)
 * @param concurrency   clients (closed loop)
 * @param windowSeconds length of the measured window (warm-up excluded)
 */
public record LevelInfo(int index, String label, String model, Double targetRate, Double offeredRate, Integer concurrency,
        double windowSeconds) {
}
