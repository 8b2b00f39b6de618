package tagger.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tagger.common.ErrorCode;
import tagger.common.TrafficClass;

class RecentActivityTest {
    private final AtomicLong now = new AtomicLong();
    private final RecentActivity recent = new RecentActivity(2, now::get);

    private void pass(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void theWindowSumsTheLastIntervalsKeptAndForgetsOlderOnes() {
        for (int i = 0; i < 5; i++) {
            recent.answered(TrafficClass.REALTIME, null, 10);
        }
        pass(2);
        recent.roll();
        for (int i = 0; i < 3; i++) {
            recent.answered(TrafficClass.BULK, null, 1_000);
        }
        pass(2);
        recent.roll();
        recent.answered(TrafficClass.REALTIME, null, 30);
        pass(4);
        recent.roll();

        RecentActivity.Window w = recent.window();
        assertEquals(6.0, w.seconds(), 1e-9, "the last two intervals: 2 s + 4 s");
        assertEquals(1, w.classes().get(TrafficClass.REALTIME).answered());
        assertEquals(3, w.classes().get(TrafficClass.BULK).answered());
        assertEquals(4 / 6.0, w.imagesPerSecond(), 1e-9);
    }

    @Test
    void errorsAreCountedPerClassAndCodeAndOnlySuccessesMakeTheLatency() {
        recent.answered(TrafficClass.REALTIME, null, 20);
        recent.answered(TrafficClass.REALTIME, null, 40);
        recent.answered(TrafficClass.REALTIME, ErrorCode.DEADLINE_EXCEEDED, 5_000);
        recent.answered(TrafficClass.BULK, ErrorCode.UNDECODABLE, 3);
        pass(1);
        recent.roll();

        RecentActivity.ClassWindow rt = recent.window().classes().get(TrafficClass.REALTIME);
        assertEquals(3, rt.answered());
        assertEquals(Map.of(ErrorCode.DEADLINE_EXCEEDED, 1L), rt.errors());
        assertEquals(2, rt.latencyMs().getTotalCount());
        assertEquals(40, rt.latencyMs().getMaxValue(), 1);
        assertEquals(Map.of(ErrorCode.UNDECODABLE, 1L), recent.window().classes().get(TrafficClass.BULK).errors());
    }

    @Test
    void busyTimesAndBatchSizesCoverTheWindow() {
        recent.batch(4, 100);
        recent.batch(8, 300);
        recent.batch(8, 100);
        recent.preprocessed(250);
        recent.preprocessed(750);
        pass(2);
        recent.roll();

        RecentActivity.Window w = recent.window();
        assertEquals(0.5, w.inferenceSeconds(), 1e-6);
        assertEquals(1.0, w.preprocessSeconds(), 1e-6);
        assertEquals(8, w.batchSizes().getValueAtPercentile(50));
    }

    @Test
    void latenciesBeyondAnHourAreRecordedAsAnHourInsteadOfFailing() {
        recent.answered(TrafficClass.BULK, null, 10 * RecentActivity.MAX_LATENCY_MS);
        pass(1);
        recent.roll();
        assertEquals(1, recent.window().classes().get(TrafficClass.BULK).latencyMs().getTotalCount());
    }

    @Test
    void beforeTheFirstRollTheWindowIsEmpty() {
        recent.answered(TrafficClass.REALTIME, null, 10);
        assertEquals(0, recent.window().seconds());
        assertEquals(0, recent.window().imagesPerSecond());
    }

    @Test
    void keepingNoIntervalIsRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RecentActivity(0, now::get));
        assertEquals("must keep at least 1 interval, got 0", e.getMessage());
    }
}
