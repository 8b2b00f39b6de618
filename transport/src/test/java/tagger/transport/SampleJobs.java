package tagger.transport;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.ModelRef;
import tagger.common.Tag;
import tagger.common.TagResult;
import tagger.common.Timings;
import tagger.common.TrafficClass;

/** Jobs and results with every field set, so a round trip that loses one fails the comparison. */
public final class SampleJobs {
    private SampleJobs() {
    }

    public static ImageJob job(TrafficClass cls) {
        String id = UUID.randomUUID().toString();
        JobMeta meta = new JobMeta(id, "api-1", cls, 1_700_000_000_000L, 1_700_000_005_000L, 1_700_000_000_250L,
                42.5, "mobilenetv2", 3, 0.25, "http://images.test/" + id + ".jpg", "batch-7", "item-" + id,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        byte[] body = new byte[2048];
        ThreadLocalRandom.current().nextBytes(body);
        return new ImageJob(meta, "image/jpeg", body);
    }

    public static TagResult result(String requestId, String label) {
        JobMeta meta = new JobMeta(requestId, "api-1", TrafficClass.REALTIME, 0, 0, 0, 0, null, null, null,
                "http://images.test/" + requestId + ".jpg", null, null, null);
        return TagResult.tags(meta, List.of(new Tag(label, 0.875), new Tag("other", 0.125)),
                new ModelRef("demo", "1"), new Timings(1, 2, 3, 4, 5, 6, 7, 28, 4));
    }

    public static TagResult result(String label) {
        return result(UUID.randomUUID().toString(), label);
    }
}
