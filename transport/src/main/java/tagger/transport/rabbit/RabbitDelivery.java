package tagger.transport.rabbit;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.ImageJob;
import tagger.transport.JobDelivery;

/**
 * One job delivered on one channel; settled on that same channel, from any thread.
 *
 * <p>A delivery is bound to the channel it arrived on: once that channel is gone (the connection
 * dropped and the source reconnected), the broker has already put the job back in the queue and
 * will deliver it again, so settling it is logged and does nothing — the result path tolerates the
 * duplicate (first writer wins). Settling twice is a bug and throws.
 */
final class RabbitDelivery implements JobDelivery {
    private static final Logger log = LoggerFactory.getLogger(RabbitDelivery.class);

    private interface Settlement {
        void send() throws IOException;
    }

    private final Channel channel;
    private final Object channelLock;
    private final long tag;
    private final ImageJob job;
    private final int previousDeliveries;
    private final AtomicReference<String> settled = new AtomicReference<>();

    /** @param channelLock serializes every settle on this channel, whichever thread it comes from */
    RabbitDelivery(Channel channel, Object channelLock, long tag, ImageJob job, int previousDeliveries) {
        this.channel = channel;
        this.channelLock = channelLock;
        this.tag = tag;
        this.job = job;
        this.previousDeliveries = previousDeliveries;
    }

    @Override
    public ImageJob job() {
        return job;
    }

    @Override
    public int previousDeliveries() {
        return previousDeliveries;
    }

    @Override
    public void ack() {
        settle("ack", () -> channel.basicAck(tag, false));
    }

    @Override
    public void requeue() {
        settle("requeue", () -> channel.basicNack(tag, false, true));
    }

    @Override
    public void deadLetter() {
        settle("deadLetter", () -> channel.basicReject(tag, false));
    }

    boolean isSettled() {
        return settled.get() != null;
    }

    private void settle(String how, Settlement settlement) {
        String before = settled.compareAndExchange(null, how);
        if (before != null) {
            throw new IllegalStateException("delivery of request " + job.requestId() + " was already settled ("
                    + before + "); " + how + " again is a bug");
        }
        try {
            synchronized (channelLock) {
                if (channel.isOpen()) {
                    settlement.send();
                    return;
                }
            }
        } catch (IOException | AlreadyClosedException e) {
            // the channel closed between the check and the send: same situation as below
        }
        log.info("request {}: {} not sent, the channel it was delivered on has closed; the broker has requeued "
                + "it and will deliver it again", job.requestId(), how);
    }
}
