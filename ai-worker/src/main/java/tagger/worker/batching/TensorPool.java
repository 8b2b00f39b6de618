package tagger.worker.batching;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of direct float buffers of one image's tensor size, reused so that preprocessing
 * allocates nothing per image. The pool size bounds how many preprocessed images can exist at once.
 */
public final class TensorPool {
    private final BlockingQueue<FloatBuffer> free;
    private final int floatsPerBuffer;

    public TensorPool(int buffers, int floatsPerBuffer) {
        this.free = new ArrayBlockingQueue<>(buffers);
        this.floatsPerBuffer = floatsPerBuffer;
        for (int i = 0; i < buffers; i++) {
            free.add(allocate(floatsPerBuffer));
        }
    }

    /** A direct, native-order float buffer of {@code floats} capacity. */
    public static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Takes a buffer, waiting if all are in use. */
    public FloatBuffer take() throws InterruptedException {
        FloatBuffer b = free.take();
        b.clear();
        return b;
    }

    public void release(FloatBuffer buffer) {
        if (buffer.capacity() != floatsPerBuffer || !free.offer(buffer)) {
            throw new IllegalStateException("buffer does not belong to this pool");
        }
    }
}
