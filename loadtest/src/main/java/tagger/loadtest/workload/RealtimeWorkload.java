package tagger.loadtest.workload;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import tagger.common.Json;
import tagger.loadtest.origin.OriginUrls;
import tagger.loadtest.origin.Photo;
import tagger.loadtest.origin.PhotoCorpus;

/**
 * A real-time scenario: one {@code POST /v1/tags} per operation, answered synchronously. Three
 * shapes: one image URL ("url"), several URLs in one call ("multi"), or the image bytes uploaded
 * ("bytes").
 */
public final class RealtimeWorkload implements Workload {
    private final String name;
    private final HttpTarget target;
    private final Requests requests;

    /** Builds the HTTP request of operation {@code index}. */
    interface Requests {
        Request build(long index, boolean faults);
    }

    record Request(HttpRequest http, int images) {
    }

    /**
     * What every real-time request carries.
     *
     * @param topK          the {@code topK} to ask for, null for the model default
     * @param clientTimeout when the generator gives up on an answer (counted as transport:timeout)
     */
    public record Options(Integer topK, Duration clientTimeout) {
    }

    private RealtimeWorkload(String name, HttpTarget target, Requests requests) {
        this.name = name;
        this.target = target;
        this.requests = requests;
    }

    /** {@code {"url": ...}}: one image fetched from the origin. */
    public static RealtimeWorkload url(HttpTarget target, URI endpoint, OriginUrls urls, Options options) {
        return new RealtimeWorkload("url", target, (index, faults) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("url", urls.url(index, 0, faults));
            return json(endpoint, body, options, 1);
        });
    }

    /** {@code {"urls": [...]}}: {@code count} images in one call, each judged alone. */
    public static RealtimeWorkload multi(HttpTarget target, URI endpoint, OriginUrls urls, int count, Options options) {
        if (count < 1) {
            throw new IllegalArgumentException("URLs per request must be >= 1, got " + count);
        }
        return new RealtimeWorkload("multi", target, (index, faults) -> {
            List<String> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(urls.url(index, i, faults));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("urls", list);
            return json(endpoint, body, options, count);
        });
    }

    /**
     * Raw image bytes with {@code Content-Type: image/*}; every body is unique. Origin faults do not
     * apply (there is no download).
     */
    public static RealtimeWorkload bytes(HttpTarget target, URI endpoint, PhotoCorpus corpus, List<Photo> photos,
            long seed, Options options) {
        URI withQuery = options.topK() == null ? endpoint : URI.create(endpoint + "?topK=" + options.topK());
        return new RealtimeWorkload("bytes", target, (index, faults) -> {
            Photo photo = photos.get(new SplittableRandom(seed + index * 0x9E3779B97F4A7C15L).nextInt(photos.size()));
            HttpRequest request = HttpRequest.newBuilder(withQuery)
                    .timeout(options.clientTimeout())
                    .header("Content-Type", photo.format().mimeType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(corpus.unique(photo, index)))
                    .build();
            return new Request(request, 1);
        });
    }

    private static Request json(URI endpoint, Map<String, Object> body, Options options, int images) {
        if (options.topK() != null) {
            body.put("topK", options.topK());
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(options.clientTimeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)))
                .build();
        return new Request(request, images);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<Exchange> issue(long index, boolean faults) {
        Request request = requests.build(index, faults);
        return target.send(name, request.http(), request.images());
    }
}
