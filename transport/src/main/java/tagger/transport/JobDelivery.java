package tagger.transport;

import tagger.common.ImageJob;

/** One delivered job and the three ways to settle it. Settling twice is a bug and throws. */
public interface JobDelivery {

    ImageJob job();

    /** How many times this job was delivered before and not acknowledged (0 on the first delivery). */
    int previousDeliveries();

    /** Done: the result is stored. */
    void ack();

    /** Give it back to the queue for another worker (e.g. shutting down, store unavailable). */
    void requeue();

    /** Give up for good: the job goes to the dead-letter queue. */
    void deadLetter();
}
