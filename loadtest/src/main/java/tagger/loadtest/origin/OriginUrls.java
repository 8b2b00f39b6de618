package tagger.loadtest.origin;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Image URLs for the generator: a unique path per request and item (so no cache can help), a photo
 * kind and a fault drawn from the seed and the request's index.
 *
 * <p>Example: {@code http://127.0.0.1:8091/photo/640x480/r7f3a-000042-0.jpg?lat=153&fault=500}.
 */
public final class OriginUrls {
    private final String baseUrl;
    private final String runId;
    private final List<Photo> photos;
    private final FaultPlan faults;
    private final long seed;

    public OriginUrls(String baseUrl, String runId, List<Photo> photos, FaultPlan faults, long seed) {
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("at least one photo kind is needed");
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.runId = runId;
        this.photos = List.copyOf(photos);
        this.faults = faults;
        this.seed = seed;
    }

    /** The URL of item {@code item} of request {@code index}; without faults when {@code withFaults} is false. */
    public String url(long index, int item, boolean withFaults) {
        SplittableRandom random = new SplittableRandom(seed + (index * 1_000 + item) * 0x9E3779B97F4A7C15L);
        Photo photo = photos.get(random.nextInt(photos.size()));
        Fault fault = withFaults ? faults.sample(random) : Fault.NONE;
        String query = fault.query();
        return baseUrl + "/photo/" + photo.width() + "x" + photo.height() + "/" + runId + "-" + index + "-" + item
                + "." + photo.format().extension() + (query.isEmpty() ? "" : "?" + query);
    }

    public FaultPlan faults() {
        return faults;
    }
}
