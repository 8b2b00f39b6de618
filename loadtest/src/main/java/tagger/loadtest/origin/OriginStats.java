package tagger.loadtest.origin;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the origin served: requests by fault, bytes, and how many responses it held open at once. */
public final class OriginStats {
    private final Map<Fault.Kind, LongAdder> byKind = new EnumMap<>(Fault.Kind.class);
    private final LongAdder bytes = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong maxOpen = new AtomicLong();

    /** A frozen copy for reports. */
    public record Snapshot(Map<String, Long> served, long bytes, long rejected, long maxOpen) {
    }

    OriginStats() {
        for (Fault.Kind k : Fault.Kind.values()) {
            byKind.put(k, new LongAdder());
        }
    }

    void opened(Fault.Kind kind) {
        byKind.get(kind).increment();
        long now = open.incrementAndGet();
        maxOpen.accumulateAndGet(now, Math::max);
    }

    void closed(long bodyBytes) {
        open.decrementAndGet();
        bytes.add(bodyBytes);
    }

    void rejected() {
        rejected.increment();
    }

    public long open() {
        return open.get();
    }

    public Snapshot snapshot() {
        Map<String, Long> served = new java.util.LinkedHashMap<>();
        byKind.forEach((k, v) -> {
            if (v.sum() > 0) {
                served.put(k.token(), v.sum());
            }
        });
        return new Snapshot(served, bytes.sum(), rejected.sum(), maxOpen.get());
    }
}
