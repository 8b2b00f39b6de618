package tagger.common;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Milliseconds spent in each stage of one image request. {@code queue} is measured across
 * machines (api-server enqueue time to worker receive time), so clock skew shows up there.
 *
 * @param download   api-server fetching the URL (0 for uploaded bytes)
 * @param publish    waiting for the broker's publisher confirm
 * @param queue      from enqueue to the worker receiving the message
 * @param preprocess decode, resize and normalise
 * @param batchWait  from preprocessed to the start of its batch's inference
 * @param inference  the batch's {@code session.run} plus postprocessing
 * @param result     from the worker storing the result to the api-server receiving it
 * @param total      from the api-server receiving the request to the answer being ready
 * @param batchSize  how many images shared the inference call
 * @param edgePreprocess the api-server decoding, resizing and encoding the image for the worker
 *                   (edge preprocessing; 0 when the worker got the original and did it all in {@code preprocess})
 * @param cache      "hit" when the result cache answered (nothing was published), "miss" when it was
 *                   asked and could not; absent when it was not asked (opted out, disabled, no worker known)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Timings(
        double download,
        double publish,
        double queue,
        double preprocess,
        double batchWait,
        double inference,
        double result,
        double total,
        int batchSize,
        double edgePreprocess,
        String cache) {

    public static final Timings NONE = builder().build();
    public static final String CACHE_HIT = "hit";
    public static final String CACHE_MISS = "miss";

    /** Timings of an image that was not preprocessed at the edge, without a cache verdict (tests, fixtures). */
    public Timings(double download, double publish, double queue, double preprocess, double batchWait,
            double inference, double result, double total, int batchSize) {
        this(download, publish, queue, preprocess, batchWait, inference, result, total, batchSize, 0, null);
    }

    /** The result cache answered: only the download (0 for uploaded bytes) ran before the answer. */
    public static Timings cacheHit(double downloadMs, double totalMs) {
        return builder().download(downloadMs).total(totalMs).cache(CACHE_HIT).build();
    }

    /** Every stage 0, no batch and no cache verdict until set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Named stages instead of eleven positions; what is not set is 0 (the cache verdict absent). */
    public static final class Builder {
        private double download;
        private double publish;
        private double queue;
        private double preprocess;
        private double batchWait;
        private double inference;
        private double result;
        private double total;
        private int batchSize;
        private double edgePreprocess;
        private String cache;

        private Builder() {
        }

        public Builder download(double ms) {
            download = ms;
            return this;
        }

        public Builder publish(double ms) {
            publish = ms;
            return this;
        }

        public Builder queue(double ms) {
            queue = ms;
            return this;
        }

        public Builder preprocess(double ms) {
            preprocess = ms;
            return this;
        }

        public Builder batchWait(double ms) {
            batchWait = ms;
            return this;
        }

        public Builder inference(double ms) {
            inference = ms;
            return this;
        }

        public Builder result(double ms) {
            result = ms;
            return this;
        }

        public Builder total(double ms) {
            total = ms;
            return this;
        }

        public Builder batchSize(int images) {
            batchSize = images;
            return this;
        }

        public Builder edgePreprocess(double ms) {
            edgePreprocess = ms;
            return this;
        }

        /** {@link #CACHE_HIT}, {@link #CACHE_MISS}, or null when the cache was not asked. */
        public Builder cache(String verdict) {
            cache = verdict;
            return this;
        }

        public Timings build() {
            return new Timings(download, publish, queue, preprocess, batchWait, inference, result, total, batchSize,
                    edgePreprocess, cache);
        }
    }

    /** A copy with the stages only the api-server can measure filled in. */
    public Timings withApiStages(double publish, double result, double total) {
        return new Timings(download, publish, queue, preprocess, batchWait, inference, result, total, batchSize,
                edgePreprocess, cache);
    }

    /** A copy that says whether the result cache answered ({@link #CACHE_HIT}, {@link #CACHE_MISS}). */
    public Timings withCache(String verdict) {
        return new Timings(download, publish, queue, preprocess, batchWait, inference, result, total, batchSize,
                edgePreprocess, verdict);
    }
}
