package tagger.loadtest.origin;

import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import tagger.loadtest.DurationText;

/**
 * How long the origin waits before answering: nothing, a fixed delay, uniform between two bounds,
 * or log-normal (a median and a shape σ; σ = 1 gives a heavy tail where p99 ≈ 10× the median, like
 * real image hosts).
 */
public sealed interface LatencyModel {
    /** Delays are capped here, so one extreme draw cannot hold a connection for minutes. */
    long MAX_MILLIS = 60_000;

    /** A delay in milliseconds. */
    long sampleMillis(SplittableRandom random);

    record None() implements LatencyModel {
        @Override
        public long sampleMillis(SplittableRandom random) {
            return 0;
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    record Fixed(long millis) implements LatencyModel {
        @Override
        public long sampleMillis(SplittableRandom random) {
            return millis;
        }

        @Override
        public String toString() {
            return "fixed:" + millis + "ms";
        }
    }

    record Uniform(long minMillis, long maxMillis) implements LatencyModel {
        @Override
        public long sampleMillis(SplittableRandom random) {
            return minMillis + (maxMillis == minMillis ? 0 : random.nextLong(maxMillis - minMillis + 1));
        }

        @Override
        public String toString() {
            return "uniform:" + minMillis + "ms:" + maxMillis + "ms";
        }
    }

    record LogNormal(double medianMillis, double sigma) implements LatencyModel {
        @Override
        public long sampleMillis(SplittableRandom random) {
            // Box–Muller; the median of exp(μ + σZ) is exp(μ)
            double u1 = 1 - random.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random.nextDouble());
            return Math.min(MAX_MILLIS, Math.round(medianMillis * Math.exp(sigma * z)));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "lognormal:%sms:%s", trim(medianMillis), trim(sigma));
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** Parses {@code none}, {@code fixed:20ms}, {@code uniform:10ms:200ms} or {@code lognormal:150ms[:1.0]}. */
    static LatencyModel parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[] p = t.split(":");
        try {
            switch (p[0]) {
                case "none":
                    if (p.length == 1) {
                        return new None();
                    }
                    break;
                case "fixed":
                    if (p.length == 2) {
                        return new Fixed(millis(p[1]));
                    }
                    break;
                case "uniform":
                    if (p.length == 3 && millis(p[1]) <= millis(p[2])) {
                        return new Uniform(millis(p[1]), millis(p[2]));
                    }
                    break;
                case "lognormal":
                    if (p.length == 2 || p.length == 3) {
                        double sigma = p.length == 3 ? Double.parseDouble(p[2]) : 1.0;
                        if (sigma >= 0 && sigma <= 4) {
                            return new LogNormal(DurationText.parse(p[1]).toNanos() / 1e6, sigma);
                        }
                    }
                    break;
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the whole grammar
        }
        throw new IllegalArgumentException("origin latency must be none, fixed:<d>, uniform:<min>:<max> or "
                + "lognormal:<median>[:<sigma 0..4>] (e.g. lognormal:150ms:1.0), got '" + text + "'");
    }

    private static long millis(String text) {
        Duration d = DurationText.parse(text);
        if (d.toMillis() > MAX_MILLIS) {
            throw new IllegalArgumentException("delay above " + MAX_MILLIS + " ms");
        }
        return d.toMillis();
    }
}
