package tagger.loadtest.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsScraperTest {

    @Test
    void prometheusTextIsSummedOverLabelsForTheWatchedNamesOnly() {
        String text = """
                # HELP tagger_worker_images_total images
                # TYPE tagger_worker_images_total counter
                tagger_worker_images_total{outcome="ok"} 120.0
                tagger_worker_images_total{outcome="undecodable"} 3.0
                # TYPE tagger_download_active gauge
                tagger_download_active 7.0
                tagger_other_metric 99
                tagger_worker_batch_size_sum 40.0
                """;
        try (MetricsScraper s = new MetricsScraper(List.of(), Set.of("tagger_worker_images_total", "tagger_download_active",
                "tagger_worker_batch_size_sum"))) {
            Map<String, Double> values = s.parse(text);
            assertEquals(Map.of("tagger_worker_images_total", 123.0, "tagger_download_active", 7.0,
                    "tagger_worker_batch_size_sum", 40.0), values);
        }
    }

    @Test
    void withNoSamplesThereIsNothingToSummarize() {
        try (MetricsScraper s = new MetricsScraper(List.of(), MetricsScraper.DEFAULT_METRICS)) {
            assertEquals(Map.of(), s.summarize(0, Long.MAX_VALUE));
        }
    }
}
