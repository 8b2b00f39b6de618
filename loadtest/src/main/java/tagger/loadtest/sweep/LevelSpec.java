package tagger.loadtest.sweep;

import java.time.Duration;
import tagger.loadtest.schedule.LoadModel;

/** One level of a run: a load model held for a warm-up and then a measured duration. */
public record LevelSpec(int index, LoadModel model, Duration warmup, Duration duration, long seed) {

    public LevelSpec {
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must be >= 0, got " + warmup);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be > 0, got " + duration);
        }
    }

    public String label() {
        if (model instanceof LoadModel.Closed closed) {
            return closed.concurrency() + (closed.concurrency() == 1 ? " client" : " clients");
        }
        return ((LoadModel.Open) model).shape().toString();
    }
}
