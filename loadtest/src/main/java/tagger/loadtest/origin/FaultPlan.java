package tagger.loadtest.origin;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The origin's misbehaviour for a run: a latency model for every request, plus the share of
 * requests that get each fault (e.g. {@code 500=2%,truncate=1%}). Drawn per request from a seeded
 * generator, so a rerun injects the same faults into the same requests.
 */
public record FaultPlan(LatencyModel latency, Map<Fault.Kind, Double> shares, Duration dripTime) {

    public static final FaultPlan NONE = new FaultPlan(new LatencyModel.None(), Map.of(), Duration.ofSeconds(1));

    public FaultPlan {
        shares = Map.copyOf(shares);
        double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
        if (total > 1.0 + 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "fault shares add up to %.1f%%, more than 100%%", total * 100));
        }
        if (shares.containsKey(Fault.Kind.NONE)) {
            throw new IllegalArgumentException("'none' is not a fault; give the shares of 404, 500, 429, truncate, drip");
        }
    }

    /**
     * Parses {@code latency} (see {@link LatencyModel}) and {@code faults} such as
     * {@code 404=1%,500=2%,429=1%,truncate=0.5%,drip=2%} (blank for none).
     */
    public static FaultPlan parse(String latency, String faults, Duration dripTime) {
        Map<Fault.Kind, Double> shares = new EnumMap<>(Fault.Kind.class);
        if (faults != null && !faults.isBlank()) {
            for (String term : faults.split(",")) {
                String[] kv = term.split("=");
                if (kv.length != 2) {
                    throw new IllegalArgumentException("origin fault must be KIND=SHARE% (e.g. 500=2%), got '" + term.trim() + "'");
                }
                Fault.Kind kind = Fault.Kind.parse(kv[0]);
                shares.merge(kind, share(kv[1].trim(), term.trim()), Double::sum);
            }
        }
        if (dripTime.isNegative() || dripTime.toMillis() > LatencyModel.MAX_MILLIS) {
            throw new IllegalArgumentException("drip time must be between 0 and 60 s, got " + dripTime);
        }
        return new FaultPlan(LatencyModel.parse(latency), shares, dripTime);
    }

    private static double share(String text, String term) {
        try {
            double v = text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1)) / 100
                    : Double.parseDouble(text);
            if (v >= 0 && v <= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("fault share must be a percentage between 0% and 100% (or a fraction 0..1), got '"
                + term + "'");
    }

    /** Draws the fault of one request. */
    public Fault sample(SplittableRandom random) {
        long latencyMillis = latency.sampleMillis(random);
        double u = random.nextDouble();
        double sum = 0;
        for (Fault.Kind kind : Fault.Kind.values()) {
            Double s = shares.get(kind);
            if (s != null && u < (sum += s)) {
                return new Fault(latencyMillis, kind, dripTime.toMillis());
            }
        }
        return new Fault(latencyMillis, Fault.Kind.NONE, 0);
    }

    public boolean isNone() {
        return latency instanceof LatencyModel.None && shares.values().stream().allMatch(s -> s == 0);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("latency ").append(latency);
        shares.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> s.append(", ")
                .append(e.getKey().token()).append('=').append(String.format(Locale.ROOT, "%.2f%%", e.getValue() * 100)));
        if (shares.containsKey(Fault.Kind.DRIP)) {
            s.append(" (drip over ").append(dripTime.toMillis()).append(" ms)");
        }
        return s.toString();
    }
}
