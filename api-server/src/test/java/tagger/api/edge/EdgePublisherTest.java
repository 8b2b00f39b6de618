package tagger.api.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.Color;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tagger.api.fakes.FakeJobPublisher;
import tagger.api.fakes.MutableClock;
import tagger.common.ImageJob;
import tagger.common.JobMeta;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.TrafficClass;
import tagger.common.WorkerPresence;
import tagger.imaging.TurboJpeg;
import tagger.testkit.SampleImages;
import tagger.transport.memory.InMemoryPresenceBoard;

class EdgePublisherTest {

    private final MutableClock clock = new MutableClock(1_000_000);
    private final InMemoryPresenceBoard board = new InMemoryPresenceBoard(clock);
    private final FakeJobPublisher broker = new FakeJobPublisher();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EdgePublisher edge;

    @AfterEach
    void close() {
        if (edge != null) {
            edge.close();
        }
    }

    private EdgePublisher edge(PreprocessAt at) {
        edge = new EdgePublisher("realtime", broker, new ServingPixels(board, clock), new EdgeConfig(at, 2, 16),
                TurboJpeg.shared().orElse(null), 40_000_000, registry, clock);
        return edge;
    }

    private void worker(String id, String pixels) {
        WorkerPresence w = new WorkerPresence(id, new ModelRef("demo", "1"), "cpu", 8, 0, clock.millis(), 20, 0, 0, 0, 0,
                0, Map.of(), "turbojpeg", pixels);
        board.announce(WorkerPresence.KIND, id, Json.write(w), Duration.ofSeconds(6));
        clock.advance(Duration.ofMillis(ServingPixels.REFRESH_MS)); // let the next publish re-read presence
    }

    private static ImageJob photo(int width, int height) {
        JobMeta meta = new JobMeta("r-" + width, "api-1", TrafficClass.REALTIME, 1, 0, 1, 2.0, "", null, null, null, null,
                null, null);
        return new ImageJob(meta, "image/jpeg", SampleImages.jpeg(SampleImages.photoLike(width, height, 3)));
    }

    private ImageJob sent(ImageJob job, EdgePublisher p) {
        p.publish(job).join();
        return broker.published().get(broker.published().size() - 1);
    }

    @Test
    void aPhotoIsPublishedAsAPayloadForThePixelsTheWorkersAnnounce() {
        worker("w-1", "224x224-crop256");
        ImageJob job = photo(1600, 1200);
        ImageJob out = sent(job, edge(PreprocessAt.API));

        assertEquals("application/vnd.tagger.pixels+jpeg; spec=224x224-crop256", out.contentType());
        assertTrue(out.body().length < job.body().length / 4, out.body().length + " bytes");
        assertTrue(out.meta().edgeMs() > 0);
        assertEquals(job.requestId(), out.requestId());
        assertEquals("224x224-crop256", edge.describe());
    }

    @Test
    void workerModeAlwaysSendsTheOriginal() {
        worker("w-1", "224x224-crop256");
        ImageJob job = photo(640, 480);
        assertArrayEquals(job.body(), sent(job, edge(PreprocessAt.WORKER)).body());
        assertEquals("off (TAGGER_PREPROCESS_AT=worker)", edge.describe());
    }

    @Test
    void withoutAnnouncedPixelsOrWhileWorkersDisagreeOriginalsAreSent() {
        EdgePublisher p = edge(PreprocessAt.API);
        ImageJob job = photo(640, 480);
        assertEquals("image/jpeg", sent(job, p).contentType());
        assertEquals("none (no worker announced)", p.describe());

        worker("w-1", "224x224-crop256");
        worker("w-2", "299x299-stretch"); // a rollout to a model with another input is under way
        assertEquals("image/jpeg", sent(job, p).contentType());
        assertEquals("none (workers take different pixels [224x224-crop256, 299x299-stretch] (model rollout?))",
                p.describe());

        board.withdraw(WorkerPresence.KIND, "w-1"); // the rollout finished
        clock.advance(Duration.ofMillis(ServingPixels.REFRESH_MS));
        assertEquals("application/vnd.tagger.pixels+jpeg; spec=299x299-stretch", sent(job, p).contentType());
    }

    @Test
    void anImageUndecodableAtTheEdgeGoesToTheWorkerAsItCameForItsVerdict() {
        worker("w-1", "224x224-crop256");
        JobMeta meta = photo(8, 8).meta();
        ImageJob broken = new ImageJob(meta, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        ImageJob out = sent(broken, edge(PreprocessAt.API));
        assertEquals("image/png", out.contentType());
        assertEquals(1.0, registry.get("tagger.api.edge.images").tag("reason", "undecodable").counter().count());
    }

    @Test
    void autoKeepsAnOriginalThatIsAlreadySmallerThanThePayload() {
        worker("w-1", "224x224-crop256");
        ImageJob tiny = new ImageJob(photo(8, 8).meta(), "image/png",
                SampleImages.png(SampleImages.solid(40, 30, Color.RED)));
        EdgePublisher p = edge(PreprocessAt.AUTO);
        if (TurboJpeg.shared().isEmpty()) {
            assertEquals("off (auto needs libturbojpeg here)", p.describe());
        }
        assertEquals("image/png", sent(tiny, p).contentType());
    }
}
