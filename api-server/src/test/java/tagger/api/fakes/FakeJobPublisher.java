package tagger.api.fakes;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import tagger.common.ImageJob;
import tagger.transport.JobPublisher;

/**
 * A publisher that records every job and answers as the test says: confirmed at once (the default),
 * refused with an exception, or with any future the test builds.
 */
public final class FakeJobPublisher implements JobPublisher {
    private final List<ImageJob> published = new CopyOnWriteArrayList<>();
    private volatile Function<ImageJob, CompletableFuture<Void>> answer = job -> CompletableFuture.completedFuture(null);
    private volatile boolean ready = true;
    private volatile boolean closed;

    /** Every publish from now on is answered by {@code answer}. */
    public void answerWith(Function<ImageJob, CompletableFuture<Void>> answer) {
        this.answer = answer;
    }

    /** Every publish from now on fails with {@code e}, as a broker's nack or a full queue would. */
    public void refuseWith(RuntimeException e) {
        answerWith(job -> CompletableFuture.failedFuture(e));
    }

    public void setReady(boolean ready) {
        this.ready = ready;
    }

    public List<ImageJob> published() {
        return List.copyOf(published);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<Void> publish(ImageJob job) {
        published.add(job);
        return answer.apply(job);
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void close() {
        closed = true;
    }
}
