package tagger.worker.pipeline;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ErrorCode;
import tagger.common.JobMeta;
import tagger.common.ModelRef;
import tagger.common.TagResult;
import tagger.common.Threads;
import tagger.common.Timings;
import tagger.common.TrafficClass;
import tagger.transport.JobDelivery;
import tagger.transport.JobSource;
import tagger.worker.batching.MicroBatcher;
import tagger.worker.batching.TensorPool;
import tagger.worker.inference.InferenceException;
import tagger.worker.inference.OnnxTagger;
import tagger.worker.inference.Tagger;
import tagger.worker.metrics.WorkerMetrics;
import tagger.worker.postprocess.Postprocessor;
import tagger.imaging.Preprocessor;
import tagger.imaging.UndecodableImageException;
import tagger.worker.results.ResultWriter;
import tagger.tracing.LogContext;
import tagger.worker.tracing.WorkerSpans;
import tagger.worker.results.ResultWriter.Outcome;
import tagger.worker.results.ResultWriter.Settle;
import tagger.tracing.Exemplars;

/**
 * The worker's pipeline, one step per method, top to bottom:
 * <ol>
 *   <li>{@link #receive}: on the source's thread — give up on jobs past their delivery limit, drop
 *       expired ones before spending anything on them, hand the rest to the preprocess pool;</li>
 *   <li>{@link #preprocess}: on "preprocess-N" — skip items of cancelled bulk batches, decode, resize
 *       and normalise into a pooled tensor, then offer it to the batcher;</li>
 *   <li>{@link #inferenceLoop}: on "inference" — take a micro-batch, drop what expired meanwhile,
 *       run the model, postprocess;</li>
 *   <li>the {@link ResultWriter} stores each result in Redis and only then acks its delivery.</li>
 * </ol>
 * Decode of the next batch overlaps with inference of the current one; the inference thread never
 * waits for Redis. Real-time jobs go first wherever jobs queue inside the worker (the preprocess pool's
 * queue and the batcher), so a bulk backlog never delays them by more than the work already running.
 */
public final class WorkerPipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPipeline.class);
    /** A job delivered this many times before without success runs alone, so it can't sink batch mates. */
    static final int ISOLATE_AFTER_DELIVERIES = 2;

    /**
     * Tuning of the pipeline (see WorkerConfig for meanings and defaults).
     *
     * @param bulkTopUp most bulk images in a batch holding real-time ones; -1: none on a CPU (each image
     *                  adds its inference time there), a full batch on a GPU (where batching is nearly free)
     */
    public record Options(int maxBatch, long maxBatchWaitNanos, int prefetch, int preprocessThreads,
            int maxDeliveries, int defaultTopK, double defaultMinScore, int bulkTopUp) {
    }

    private final Options options;
    private final JobSource source;
    private final Tagger tagger;
    private final Preprocessor preprocessor;
    private final Postprocessor postprocessor;
    private final ModelRef model;
    private final WorkerMetrics metrics;
    private final PipelineClock clock;
    private final int tensorSize;
    private final int fixedBatch;
    private final int maxBatch;
    private final MicroBatcher<Ticket> batcher;
    private final TensorPool tensors;
    private final FloatBuffer batchBuffer;
    private final ThreadPoolExecutor preprocessPool;
    private final ResultWriter writer;
    private final Thread inferenceThread;
    private final AtomicInteger inFlight = new AtomicInteger(); // admitted tickets not yet settled
    private final Object drained = new Object(); // notified when inFlight drops to zero
    private final AtomicLong submitted = new AtomicLong();
    private final BatchCancellations cancellations;
    private volatile boolean running;

    /**
     * One admitted job's claims on the pipeline: a place in {@link #inFlight}, a slot the batcher
     * expects until the job is offered to it, and a pooled tensor from preprocessing until the tensor is
     * copied into the batch buffer. Every exit — an outcome to the writer, a requeue, a job dropped at
     * stop — settles the ticket, which gives back whatever it still holds, exactly once.
     */
    private final class Ticket {
        final JobDelivery delivery;
        final boolean realtime;
        final double queueMs;
        double preprocessMs;
        private FloatBuffer tensor; // one thread at a time: preprocess, then (after the batcher's lock) inference
        private boolean expected = true;
        private final AtomicBoolean settled = new AtomicBoolean();

        Ticket(JobDelivery delivery, double queueMs) {
            this.delivery = delivery;
            this.realtime = meta().trafficClass() == TrafficClass.REALTIME;
            this.queueMs = queueMs;
            inFlight.incrementAndGet();
            batcher.expect(realtime);
        }

        JobMeta meta() {
            return delivery.job().meta();
        }

        FloatBuffer tensor() {
            return tensor;
        }

        void holdTensor(FloatBuffer t) {
            this.tensor = t;
        }

        void releaseTensor() {
            if (tensor != null) {
                tensors.release(tensor);
                tensor = null;
            }
        }

        /** Hands the preprocessed job to the batcher: it is no longer expected, it is there. */
        void offer() {
            expected = false;
            batcher.offer(this);
        }

        /** Gives back every claim; the caller then hands the job on (writer, requeue) or drops it. */
        private void settle() {
            if (!settled.compareAndSet(false, true)) {
                throw new IllegalStateException("request " + meta().requestId() + " settled twice");
            }
            releaseTensor();
            if (expected) {
                expected = false;
                batcher.cancelExpected(realtime);
            }
        }

        /** Settles and hands the job back to the queue, for another worker. */
        void requeue() {
            settle();
            delivery.requeue();
            leave(1);
        }

        /** Settles without handing the job on: the source gives it back when it closes. */
        void drop() {
            settle();
            leave(1);
        }
    }

    /**
     * @param cancelledBatches which of the given bulk batches are cancelled (the result store's
     *                         {@code cancelledBatches}); asked at most once a second per batch
     */
    public WorkerPipeline(Options options, JobSource source, ResultWriter writer, Tagger tagger,
            Preprocessor preprocessor, Postprocessor postprocessor, ModelRef model, int tensorSize,
            WorkerMetrics metrics, PipelineClock clock, Function<Collection<String>, Set<String>> cancelledBatches) {
        this.options = options;
        this.source = source;
        this.writer = writer;
        this.tagger = tagger;
        this.preprocessor = preprocessor;
        this.postprocessor = postprocessor;
        this.model = model;
        this.metrics = metrics;
        this.clock = clock;
        this.tensorSize = tensorSize;
        int modelMax = tagger.maxBatchSize();
        this.fixedBatch = modelMax == Integer.MAX_VALUE ? 0 : modelMax;
        this.maxBatch = Math.min(options.maxBatch(), modelMax);
        int topUp = options.bulkTopUp() >= 0 ? options.bulkTopUp() : "cpu".equals(tagger.device()) ? 0 : maxBatch;
        this.batcher = new MicroBatcher<>(maxBatch, options.maxBatchWaitNanos(), clock::nanoTime,
                ticket -> ticket.realtime, topUp);
        this.cancellations = new BatchCancellations(cancelledBatches, clock::millis, 1_000);
        // two queues (real-time and bulk) each hold up to `prefetch` deliveries
        int maxHeld = 2 * options.prefetch();
        this.tensors = new TensorPool(maxHeld, tensorSize);
        this.batchBuffer = TensorPool.allocate(maxBatch * tensorSize);
        // real-time first, then arrival order; holds at most the deliveries in flight (maxHeld)
        this.preprocessPool = new ThreadPoolExecutor(options.preprocessThreads(), options.preprocessThreads(), 0,
                TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(maxHeld), Threads.named("preprocess"));
        // ONNX Runtime recurses deeply in native code: give its caller a large stack (see OnnxTagger)
        this.inferenceThread = new Thread(null, this::inferenceLoop, "inference", OnnxTagger.NATIVE_STACK_BYTES);
    }

    public void start() {
        running = true;
        writer.start();
        inferenceThread.start();
        source.start(options.prefetch(), this::receive, TrafficClass.REALTIME, TrafficClass.BULK);
        log.info("worker pipeline started: model {} {} on {}, max batch {}{}, prefetch {}, bulk top-up {}",
                model.name(), model.version(), tagger.device(), maxBatch, fixedBatch > 0 ? " (fixed by the model)" : "",
                options.prefetch(), options.bulkTopUp() >= 0 ? options.bulkTopUp() : "auto");
    }

    /** Jobs admitted and not yet handed to the result writer (or back to the queue). */
    public int inFlight() {
        return inFlight.get();
    }

    // 1. receive: cheap checks on the source's thread, then off to the preprocess pool
    private void receive(JobDelivery delivery) {
        try (LogContext.Scope job = LogContext.job(delivery.job().meta().traceparent())) {
            admit(delivery);
        }
    }

    private void admit(JobDelivery delivery) {
        JobMeta meta = delivery.job().meta();
        double queueMs = Math.max(0, clock.millis() - meta.enqueuedAt());
        Exemplars.within(meta.traceparent(), () -> metrics.queueWait(queueMs));
        WorkerSpans.queueWait(meta, delivery.previousDeliveries());
        if (delivery.previousDeliveries() >= options.maxDeliveries() - 1) {
            reject(delivery, ErrorCode.DELIVERY_LIMIT, "gave up after " + (delivery.previousDeliveries() + 1)
                    + " deliveries, the limit is " + options.maxDeliveries(), queueMs, Settle.DEAD_LETTER);
            return;
        }
        if (meta.expiredAt(clock.millis())) {
            metrics.expiredAtIntake();
            reject(delivery, ErrorCode.DEADLINE_EXCEEDED, "deadline passed while queued (" + (long) queueMs
                    + " ms in queue); skipped before decoding", queueMs, Settle.ACK);
            return;
        }
        Ticket ticket = new Ticket(delivery, queueMs);
        try {
            preprocessPool.execute(new PreprocessTask(ticket, submitted.incrementAndGet()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: the pool is shut down; hand the job back for another worker
            ticket.requeue();
        }
    }

    // 2. preprocess: decode + resize + normalise into a pooled tensor
    private void preprocess(Ticket ticket) {
        JobDelivery delivery = ticket.delivery;
        String batchId = ticket.meta().batchId();
        if (batchId != null && cancellations.isCancelled(batchId)) {
            fail(ticket, ErrorCode.CANCELLED, "batch " + batchId + " was cancelled; skipped before decoding",
                    Settle.ACK);
            return;
        }
        try {
            ticket.holdTensor(tensors.take());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ticket.requeue();
            return;
        }
        try {
            ticket.preprocessMs = preprocessor.preprocess(delivery.job().body(), delivery.job().contentType(),
                    ticket.tensor(), 0).totalMillis();
        } catch (UndecodableImageException | RuntimeException e) {
            ErrorCode code = e instanceof UndecodableImageException u ? u.code() : ErrorCode.UNDECODABLE;
            String why = e instanceof UndecodableImageException ? e.getMessage() : "preprocessing failed: " + e;
            fail(ticket, code, why, Settle.DEAD_LETTER);
            return;
        }
        Exemplars.within(ticket.meta().traceparent(), () -> metrics.preprocess(ticket.preprocessMs));
        WorkerSpans.preprocessed(ticket.meta(), ticket.preprocessMs);
        ticket.offer();
    }

    // 3. batch + inference on the one inference thread
    private void inferenceLoop() {
        while (running || inFlight.get() > 0) {
            try {
                List<MicroBatcher.Batched<Ticket>> batch = batcher.next(100);
                if (batch.isEmpty()) {
                    continue;
                }
                long now = clock.nanoTime();
                List<Ticket> live = new ArrayList<>(batch.size());
                List<Double> waits = new ArrayList<>(batch.size());
                for (MicroBatcher.Batched<Ticket> b : batch) {
                    Ticket item = b.item();
                    if (item.meta().expiredAt(clock.millis())) {
                        metrics.expiredAtBatch();
                        fail(item, ErrorCode.DEADLINE_EXCEEDED, "deadline passed while waiting for inference; skipped",
                                Settle.ACK);
                    } else if (item.delivery.previousDeliveries() >= ISOLATE_AFTER_DELIVERIES && batch.size() > 1) {
                        run(List.of(item), List.of((now - b.readyAt()) / 1e6));
                    } else {
                        live.add(item);
                        waits.add((now - b.readyAt()) / 1e6);
                    }
                }
                if (!live.isEmpty()) {
                    run(live, waits);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("inference loop failed unexpectedly", e);
            }
        }
    }

    private void run(List<Ticket> items, List<Double> batchWaits) {
        batchBuffer.clear();
        for (Ticket item : items) {
            batchBuffer.put(item.tensor().rewind());
            item.releaseTensor();
        }
        infer(items, batchWaits);
    }

    /** Runs the model on the items already copied, in order, into the batch buffer. */
    private void infer(List<Ticket> items, List<Double> batchWaits) {
        int n = items.size();
        batchBuffer.flip();
        float[][] rows;
        long start = clock.nanoTime();
        WorkerSpans.Batch span = WorkerSpans.inference(n, i -> items.get(i).meta());
        try {
            rows = tagger.run(batchBuffer, n); // a model with a fixed batch size pads the rest itself
        } catch (RuntimeException e) {
            span.failed(e);
            // anything else breaks the Tagger contract, but the batch must still be answered and settled
            handleFailedBatch(items, batchWaits,
                    e instanceof InferenceException ie ? ie : new InferenceException(e.toString(), e));
            return;
        } finally {
            metrics.dutyCycle().busy(start, clock.nanoTime());
        }
        List<List<tagger.common.Tag>> tags = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            JobMeta meta = items.get(i).meta();
            int topK = meta.topK() == null ? options.defaultTopK() : meta.topK();
            double minScore = meta.minScore() == null ? options.defaultMinScore() : meta.minScore();
            try {
                tags.add(postprocessor.tags(rows[i], topK, minScore));
            } catch (IllegalArgumentException e) {
                // e.g. the model produced NaN for this image: treat like a failed inference
                span.failed(e);
                handleFailedBatch(items, batchWaits, new InferenceException(e.getMessage(), e));
                return;
            }
        }
        double inferenceMs = (clock.nanoTime() - start) / 1e6;
        Exemplars.within(span.span(), () -> metrics.batch(n, inferenceMs));
        span.ran(batchWaits);
        List<Outcome> outcomes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Ticket item = items.get(i);
            Timings t = timings(item.meta(), item.queueMs, item.preprocessMs, batchWaits.get(i), inferenceMs, n);
            double wait = batchWaits.get(i);
            Exemplars.within(item.meta().traceparent(), () -> metrics.batchWait(wait));
            outcomes.add(new Outcome(item.delivery, TagResult.tags(item.meta(), tags.get(i), model, t),
                    Settle.ACK));
        }
        finish(items, outcomes);
    }

    /** A failed batch is retried one image at a time, so that only the image that breaks the model fails. */
    private void handleFailedBatch(List<Ticket> items, List<Double> batchWaits, InferenceException e) {
        if (items.size() == 1) {
            Ticket item = items.get(0);
            try (LogContext.Scope job = LogContext.job(item.meta().traceparent())) {
                log.warn("inference failed for request {}: {}", item.meta().requestId(), e.getMessage());
                fail(item, ErrorCode.INFERENCE_FAILED, "the model failed on this image: " + e.getMessage(),
                        Settle.DEAD_LETTER);
            }
            return;
        }
        log.warn("inference failed for a batch of {}; retrying each image alone: {}", items.size(), e.getMessage());
        // copy every image out first: re-running one image overwrites the batch buffer (rare path)
        float[][] copies = new float[items.size()][tensorSize];
        for (int i = 0; i < items.size(); i++) {
            batchBuffer.position(i * tensorSize);
            batchBuffer.get(copies[i]);
        }
        for (int i = 0; i < items.size(); i++) {
            batchBuffer.clear();
            batchBuffer.put(copies[i]);
            infer(List.of(items.get(i)), List.of(batchWaits.get(i)));
        }
    }

    private Timings timings(JobMeta meta, double queueMs, double preprocessMs, double batchWaitMs,
            double inferenceMs, int batchSize) {
        double total = meta.receivedAt() > 0 ? clock.millis() - meta.receivedAt() : 0;
        return Timings.builder().download(meta.downloadMs()).queue(queueMs).preprocess(preprocessMs)
                .batchWait(batchWaitMs).inference(inferenceMs).total(total).batchSize(batchSize)
                .edgePreprocess(meta.edgeMs()).build();
    }

    private Outcome failure(JobDelivery delivery, ErrorCode code, String message, double queueMs, Settle settle) {
        JobMeta meta = delivery.job().meta();
        return new Outcome(delivery, TagResult.error(meta, code, message, model,
                timings(meta, queueMs, 0, 0, 0, 0)), settle);
    }

    /** Answers a job that was never admitted (no ticket): it is past its delivery limit or its deadline. */
    private void reject(JobDelivery delivery, ErrorCode code, String message, double queueMs, Settle settle) {
        writer.submit(List.of(failure(delivery, code, message, queueMs, settle)));
    }

    /** Settles an admitted job with an error. */
    private void fail(Ticket ticket, ErrorCode code, String message, Settle settle) {
        finish(List.of(ticket), List.of(failure(ticket.delivery, code, message, ticket.queueMs, settle)));
    }

    /** Settles the tickets and hands their outcomes, in the same order, to the result writer. */
    private void finish(List<Ticket> tickets, List<Outcome> outcomes) {
        tickets.forEach(Ticket::settle);
        writer.submit(outcomes);
        leave(tickets.size());
    }

    /** Counts settled tickets out of {@link #inFlight}, waking {@link #stop} when none are left. */
    private void leave(int settled) {
        if (inFlight.addAndGet(-settled) == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /**
     * Stops taking new jobs, finishes those already received (up to {@code graceMs}), then closes.
     * Jobs not finished by then go back to the queue when the source closes.
     */
    public void stop(long graceMs) {
        source.stop();
        long until = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
        synchronized (drained) {
            long left;
            while (inFlight.get() > 0 && (left = until - clock.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(drained, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        running = false;
        // jobs still waiting for a preprocess thread never run: settle them (the source gives them back on close)
        for (Runnable task : preprocessPool.shutdownNow()) {
            ((PreprocessTask) task).ticket().drop();
        }
        try {
            inferenceThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }

    @Override
    public void close() {
        stop(10_000);
        source.close();
        tagger.close();
    }

    /** A preprocess job: real-time ones are taken before bulk ones, each class in arrival order. */
    private final class PreprocessTask implements Runnable, Comparable<PreprocessTask> {
        private final Ticket ticket;
        private final long sequence;

        PreprocessTask(Ticket ticket, long sequence) {
            this.ticket = ticket;
            this.sequence = sequence;
        }

        Ticket ticket() {
            return ticket;
        }

        @Override
        public void run() {
            try (LogContext.Scope job = LogContext.job(ticket.meta().traceparent())) {
                preprocess(ticket);
            }
        }

        @Override
        public int compareTo(PreprocessTask o) {
            boolean realtime = ticket.realtime;
            return realtime != o.ticket.realtime ? (realtime ? -1 : 1) : Long.compare(sequence, o.sequence);
        }
    }
}
