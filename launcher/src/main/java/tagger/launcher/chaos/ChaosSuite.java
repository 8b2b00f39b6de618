package tagger.launcher.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tagger.launcher.bulk.BatchClient;
import tagger.loadtest.schedule.Arrivals;
import tagger.loadtest.schedule.LoadDriver;
import tagger.loadtest.schedule.Pacer;
import tagger.loadtest.schedule.RateShape;
import tagger.loadtest.schedule.Schedule;
import tagger.loadtest.schedule.Sink;
import tagger.loadtest.workload.Exchange;
import tagger.loadtest.workload.HttpTarget;

/**
 * Runs each fault against a {@link ChaosStack} under open-loop load from the load tool's driver, then
 * puts the stack back (workers, broker, Redis) before the next one.
 */
final class ChaosSuite {

    /**
     * How hard and how long.
     *
     * @param rate          real-time calls per second during each experiment
     * @param length        how long each experiment offers load
     * @param faultAfter    when the fault begins, from the experiment's start
     * @param brokerOutage  how long the broker stays unreachable
     * @param redisOutage   how long Redis stays down
     * @param bulkItems     items of the bulk batch
     * @param uploads       oversized uploads in the flood
     */
    record Settings(double rate, Duration length, Duration faultAfter, Duration brokerOutage, Duration redisOutage,
            int bulkItems, int uploads, long deadlineMs) {
    }

    private static final Duration WARM_UP = Duration.ofSeconds(8);

    private static final Sink NO_SINK = new Sink() {
        @Override
        public void sent(long intendedNanos, long sentNanos, boolean capped) {
        }

        @Override
        public void completed(long intendedNanos, long sentNanos, long doneNanos, Exchange exchange) {
        }
    };

    private final ChaosStack stack;
    private final Settings settings;
    private final PrintStream out;
    private final HttpTarget http = new HttpTarget(Duration.ofSeconds(2), 4);
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    ChaosSuite(ChaosStack stack, Settings settings, PrintStream out) {
        this.stack = stack;
        this.settings = settings;
        this.out = out;
    }

    List<Report> run(List<Fault> faults) throws Exception {
        warmUp();
        List<Report> reports = new ArrayList<>();
        for (Fault f : faults) {
            Report r = run(f);
            r.print(out);
            reports.add(r);
            restore();
        }
        return reports;
    }

    /**
     * A few seconds of the same load before the first experiment, not counted: the first calls of
     * fresh JVMs are JIT-compiled as they go, which is the cold start, not the fault.
     */
    private void warmUp() throws InterruptedException {
        Ledger ledger = new Ledger();
        CheckedWorkload load = new CheckedWorkload(http, URI.create(stack.url() + "/v1/tags"),
                i -> new CheckedWorkload.Target("url", stack.imageUrl(ChaosStack.PHOTO, run + "-warmup", i)),
                Duration.ofMillis(settings.deadlineMs() + 5_000), ledger);
        Duration length = settings.length().compareTo(WARM_UP) < 0 ? settings.length() : WARM_UP;
        new LoadDriver(Pacer.system(), 4_096).open(Schedule.of(RateShape.constant(settings.rate()), Arrivals.CONSTANT,
                length, 3), load, NO_SINK, System.nanoTime(), 0, Duration.ofMillis(settings.deadlineMs() + 10_000));
        long ok = ledger.calls().stream().filter(c -> c.status() == 200).count();
        out.printf("warm-up: %d calls in %d s, %d answered 200 (not counted)%n", ledger.calls().size(),
                length.toSeconds(), ok);
    }

    Report run(Fault fault) throws Exception {
        Ledger ledger = new Ledger();
        Marks marks = new Marks();
        String tag = run + "-" + fault.key;
        URI tags = URI.create(stack.url() + "/v1/tags");
        CheckedWorkload load = new CheckedWorkload(http, tags, i -> target(fault, tag, i),
                Duration.ofMillis(settings.deadlineMs() + 5_000), ledger);
        Schedule schedule = Schedule.of(RateShape.constant(settings.rate()), Arrivals.CONSTANT, settings.length(), 7);
        ExecutorService faultThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "chaos-fault"));
        long start = System.nanoTime() + 100_000_000L;
        try {
            Future<?> injected = faultThread.submit(() -> {
                sleepUntil(start + settings.faultAfter().toNanos());
                inject(fault, marks, load, ledger, tag);
                return null;
            });
            new LoadDriver(Pacer.system(), 4_096).open(schedule, load, NO_SINK, start, 0,
                    Duration.ofMillis(settings.deadlineMs() + 10_000));
            try {
                injected.get();
            } catch (ExecutionException e) {
                marks.miss("the fault could not be run: " + e.getCause());
            }
        } finally {
            faultThread.shutdownNow();
        }
        return Report.of(fault, ledger.calls(), marks, settings.deadlineMs());
    }

    private CheckedWorkload.Target target(Fault fault, String tag, long index) {
        // three calls in four to the hanging host: at 8/s and a 5 s deadline it holds more than its 24 slots
        if (fault == Fault.HANGING_HOST && index % 4 != 0) {
            return new CheckedWorkload.Target("hang", stack.hanging.url(index));
        }
        return new CheckedWorkload.Target("url", stack.imageUrl(ChaosStack.PHOTO, tag, index));
    }

    private void inject(Fault fault, Marks marks, CheckedWorkload load, Ledger ledger, String tag) throws Exception {
        switch (fault) {
            case WORKER_KILL -> {
                marks.faultAt = System.nanoTime();
                marks.note("killed " + stack.stack.killWorker() + " (SIGKILL)");
            }
            case BROKER_OUTAGE -> {
                stack.broker.refuseNew(true);
                stack.broker.cutAll();
                marks.faultAt = System.nanoTime();
                Thread.sleep(settings.brokerOutage().toMillis());
                stack.broker.refuseNew(false);
                marks.backAt = System.nanoTime();
                marks.recoveredAt = firstOk(load, tag);
            }
            case REDIS_RESTART, REDIS_LOST -> redisOutage(fault == Fault.REDIS_LOST, marks, load, tag);
            case HANGING_HOST -> marks.faultAt = System.nanoTime(); // the host hangs from the start
            case UPLOAD_FLOOD -> {
                marks.faultAt = System.nanoTime();
                // above TAGGER_MAX_IMAGE_BYTES (20 MiB by default)
                OversizedUploads.flood(URI.create(stack.url()), settings.uploads(), 24L << 20, ledger);
            }
            case BULK_WORKER_KILL -> BulkWithKill.run(stack, settings.bulkItems(), marks, tag);
        }
    }

    private void redisOutage(boolean wipe, Marks marks, CheckedWorkload load, String tag) throws Exception {
        BatchClient batches = new BatchClient(stack.url());
        String batchId = null;
        if (wipe) {
            // a batch that cannot finish before the loss: the hanging host holds its items
            BatchClient.Answer a = batches.submit(BulkWithKill.ndjson(List.of(stack.hanging.url(-1), stack.hanging.url(-2))),
                    "application/x-ndjson", null, null);
            if (a.status() == 202) {
                batchId = a.body().path("batchId").asText();
            } else {
                marks.miss("the batch before the loss was not accepted: " + a.status() + " " + a.raw().body());
            }
        }
        stack.redis.stop();
        marks.faultAt = System.nanoTime();
        if (wipe) {
            stack.redis.wipe();
        }
        Thread.sleep(settings.redisOutage().toMillis());
        stack.redis.start();
        marks.backAt = System.nanoTime();
        marks.recoveredAt = firstOk(load, tag);
        if (batchId != null) {
            BatchClient.Answer lost = batches.status(batchId);
            String code = lost.body() == null ? "" : lost.body().path("error").path("code").asText();
            marks.note("batch accepted before the loss: GET status -> " + lost.status() + " " + code);
            if (lost.status() != 410 || !code.equals("batch_lost")) {
                marks.miss("the batch lost with Redis's data was not reported 410 batch_lost: " + lost.raw().body());
            }
        }
    }

    /** Calls one at a time until a 200; returns when it arrived (0 when none came within 30 s). */
    private long firstOk(CheckedWorkload load, String tag) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; System.nanoTime() < until; i++) {
            Exchange e = load.call(new CheckedWorkload.Target("url", stack.imageUrl(ChaosStack.PHOTO, tag + "-probe",
                    i)), "probe").get();
            if (e.status() == 200) {
                return System.nanoTime();
            }
            Thread.sleep(20);
        }
        return 0;
    }

    /** Puts the stack back as it started: broker reachable, Redis up, every worker running, api-server ready. */
    void restore() throws IOException, InterruptedException {
        stack.broker.refuseNew(false);
        stack.redis.start();
        stack.stack.scaleWorkers(stack.workers);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(stack.url() + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the stack was not ready again within 60 s after an experiment");
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    void close() {
        http.close();
    }
}
