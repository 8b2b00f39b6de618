package tagger.loadtest.schedule;

/** How load is offered during one level: open loop (a schedule) or closed loop (N clients back to back). */
public sealed interface LoadModel {

    /** Sends follow a pre-generated schedule whatever the server does; latency counts from the intended time. */
    record Open(RateShape shape, Arrivals arrivals) implements LoadModel {
        @Override
        public String describe() {
            return arrivals + " " + shape;
        }
    }

    /**
     * {@code concurrency} clients, each sending its next request as soon as its last one is answered
     * (llm-load-test, hey). A slow server slows the offered load, so stalls hide: coordinated omission.
     */
    record Closed(int concurrency) implements LoadModel {
        public Closed {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
            }
        }

        @Override
        public String describe() {
            return "closed " + concurrency + (concurrency == 1 ? " client" : " clients");
        }
    }

    /** One line for the console, e.g. "poisson 40/s" or "closed 8 clients". */
    String describe();
}
