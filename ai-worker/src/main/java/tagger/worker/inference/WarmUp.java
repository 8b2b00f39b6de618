package tagger.worker.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the model on blank input before the worker consumes: ONNX Runtime allocates its arenas and (on
 * CUDA) picks kernels on the first runs of each batch shape, and the JIT compiles the hot path, so a
 * worker that started under full load spent its first seconds far above its steady p99. The batch
 * sizes run are 1 and the largest the worker will use, each {@link #ROUNDS} times.
 */
public final class WarmUp {
    public static final int ROUNDS = 3;
    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private WarmUp() {
    }

    /**
     * @param maxBatch the largest batch the worker will run (already capped by the model's own limit)
     * @return how long warming up took, in seconds
     */
    public static double run(Tagger tagger, int tensorSize, int maxBatch) {
        long start = System.nanoTime();
        for (int n : batchSizes(maxBatch)) {
            // direct and native-ordered, like the tensor pool's buffers: the same path as real batches
            FloatBuffer input = ByteBuffer.allocateDirect(n * tensorSize * Float.BYTES).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            for (int round = 0; round < ROUNDS; round++) {
                input.rewind();
                tagger.run(input, n);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info("model warmed up in {} ms ({} runs each of batch sizes {})", Math.round(seconds * 1000), ROUNDS,
                batchSizes(maxBatch));
        return seconds;
    }

    static List<Integer> batchSizes(int maxBatch) {
        List<Integer> sizes = new ArrayList<>(List.of(1));
        if (maxBatch > 1) {
            sizes.add(maxBatch);
        }
        return sizes;
    }
}
