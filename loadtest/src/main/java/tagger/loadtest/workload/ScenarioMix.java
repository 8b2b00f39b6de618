package tagger.loadtest.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * Several workloads sharing one schedule: each operation goes to one of them, drawn by weight from
 * the seed and the operation's index (so a rerun sends the same mix in the same order). Reports keep
 * each workload's numbers apart.
 */
public final class ScenarioMix implements Workload {
    private final List<Workload> workloads;
    private final double[] cumulative;
    private final long seed;

    /** A workload and its share of the operations. */
    public record Share(Workload workload, double weight) {
        public Share {
            if (!(weight > 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight of '" + workload.name() + "' must be > 0, got " + weight);
            }
        }
    }

    public ScenarioMix(List<Share> shares, long seed) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("a mix needs at least one workload");
        }
        this.workloads = new ArrayList<>();
        this.cumulative = new double[shares.size()];
        double total = shares.stream().mapToDouble(Share::weight).sum();
        double sum = 0;
        for (int i = 0; i < shares.size(); i++) {
            workloads.add(shares.get(i).workload());
            sum += shares.get(i).weight() / total;
            cumulative[i] = sum;
        }
        cumulative[cumulative.length - 1] = 1.0;
        this.seed = seed;
    }

    public List<Workload> workloads() {
        return List.copyOf(workloads);
    }

    @Override
    public String name() {
        return workloads.size() == 1 ? workloads.get(0).name() : "mix";
    }

    @Override
    public CompletableFuture<Exchange> issue(long index, boolean faults) {
        return pick(index).issue(index, faults);
    }

    Workload pick(long index) {
        double u = new SplittableRandom(seed ^ index * 0xBF58476D1CE4E5B9L).nextDouble();
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return workloads.get(i);
            }
        }
        return workloads.get(workloads.size() - 1);
    }
}
