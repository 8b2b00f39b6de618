package tagger.launcher;

import java.util.UUID;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.TrafficClass;

/** A real-time job with a few bytes, for tests that only need something in a queue. */
final class SampleJob {
    private SampleJob() {
    }

    static ImageJob realtime() {
        JobMeta meta = new JobMeta(UUID.randomUUID().toString(), null, TrafficClass.REALTIME, System.currentTimeMillis(),
                0, System.currentTimeMillis(), 0, null, null, null, null, null, null, null);
        return new ImageJob(meta, "image/png", new byte[] {1, 2, 3});
    }
}
