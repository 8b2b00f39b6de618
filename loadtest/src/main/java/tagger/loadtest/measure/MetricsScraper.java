package tagger.loadtest.measure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Samples the servers' Prometheus {@code /metrics} once a second during a run, so a level can say
 * what the servers did while it was measured: worker duty cycle, downloads in flight, batch sizes.
 * Each metric is summed over its labels and over every scraped URL (two workers' busy seconds add).
 *
 * <p>Thread: "loadtest-scrape". A URL that fails is skipped for that second, never fatal.
 */
public final class MetricsScraper implements AutoCloseable {
    /** The tagger metrics worth reading next to client latency. */
    public static final Set<String> DEFAULT_METRICS = Set.of(
            "tagger_worker_duty_cycle", "tagger_worker_inference_busy_seconds_total", "tagger_download_active",
            "tagger_api_inflight", "tagger_worker_inflight", "tagger_worker_images_total",
            "tagger_worker_batch_size_sum", "tagger_worker_batch_size_count", "tagger_worker_expired_total");
    private static final int MAX_SAMPLES = 100_000;

    private final List<URI> urls;
    private final Set<String> watched;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledThreadPoolExecutor executor;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, String> kinds = new HashMap<>();

    private record Sample(long nanos, Map<String, Double> values) {
    }

    public MetricsScraper(List<URI> urls, Set<String> watched) {
        this.urls = List.copyOf(urls);
        this.watched = Set.copyOf(watched);
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "loadtest-scrape");
            t.setDaemon(true);
            return t;
        });
        if (!urls.isEmpty()) {
            executor.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
        }
    }

    private void sample() {
        Map<String, Double> sum = new HashMap<>();
        for (URI url : urls) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    parse(r.body()).forEach((k, v) -> sum.merge(k, v, Double::sum));
                }
            } catch (java.io.IOException e) {
                // this second has no sample from that server
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            samples.add(new Sample(System.nanoTime(), sum));
            if (samples.size() > MAX_SAMPLES) {
                samples.remove(0);
            }
        }
    }

    /** Prometheus text format: {@code name{labels} value}, summed by name, for the watched names. */
    Map<String, Double> parse(String text) {
        Map<String, Double> values = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                if (p.length >= 4) {
                    synchronized (this) {
                        kinds.put(p[2], p[3]);
                    }
                }
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            if (!watched.contains(name)) {
                continue;
            }
            try {
                values.merge(name, Double.parseDouble(line.substring(space + 1).trim()), Double::sum);
            } catch (NumberFormatException e) {
                // NaN written oddly, or a timestamp: skip the line
            }
        }
        return values;
    }

    /** Each watched metric over [fromNanos, toNanos]: gauges as mean and max, counters as a rate. */
    public synchronized Map<String, ServerMetric> summarize(long fromNanos, long toNanos) {
        List<Sample> in = samples.stream().filter(s -> s.nanos >= fromNanos && s.nanos <= toNanos).toList();
        Map<String, ServerMetric> out = new TreeMap<>();
        if (in.isEmpty()) {
            return out;
        }
        for (String name : watched) {
            List<double[]> points = new ArrayList<>();
            for (Sample s : in) {
                Double v = s.values.get(name);
                if (v != null) {
                    points.add(new double[] {s.nanos, v});
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            // Prometheus names a counter's TYPE without "_total", a summary's without "_sum"/"_count"
            String base = name.replaceAll("_(total|sum|count)$", "");
            String type = kinds.getOrDefault(name, kinds.getOrDefault(base, "gauge"));
            boolean counter = type.equals("counter")
                    || ((type.equals("summary") || type.equals("histogram")) && !name.equals(base));
            double mean = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
            double max = points.stream().mapToDouble(p -> p[1]).max().orElse(0);
            double[] first = points.get(0);
            double[] last = points.get(points.size() - 1);
            double seconds = (last[0] - first[0]) / 1e9;
            double rate = seconds > 0 ? (last[1] - first[1]) / seconds : 0;
            out.put(name, new ServerMetric(counter ? "counter" : "gauge", round(mean), round(max),
                    round(rate), points.size()));
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
