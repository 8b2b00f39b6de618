package tagger.loadtest.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ScenarioMixTest {

    private static Workload named(String name) {
        return new Workload() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CompletableFuture<Exchange> issue(long index, boolean faults) {
                return CompletableFuture.completedFuture(new Exchange(name, 200, null, null, 1, 1, List.of(), Map.of(), null));
            }
        };
    }

    @Test
    void operationsAreSplitByWeightAndTheSameIndexAlwaysGoesToTheSameWorkload() {
        Workload url = named("url");
        Workload bytes = named("bytes");
        ScenarioMix mix = new ScenarioMix(List.of(new ScenarioMix.Share(url, 4), new ScenarioMix.Share(bytes, 1)), 9);
        int urls = 0;
        for (long i = 0; i < 20_000; i++) {
            if (mix.pick(i) == url) {
                urls++;
            }
            assertSame(mix.pick(i), mix.pick(i));
        }
        assertEquals(0.8, urls / 20_000.0, 0.015);
        assertEquals("mix", mix.name());
        assertEquals(mix.pick(3).name(), mix.issue(3, true).join().scenario());
    }

    @Test
    void aWeightMustBePositive() {
        assertEquals("weight of 'url' must be > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new ScenarioMix.Share(named("url"), 0)).getMessage());
    }
}
