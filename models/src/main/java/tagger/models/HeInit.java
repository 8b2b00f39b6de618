package tagger.models;

import java.util.Random;

/**
 * Deterministic random weights: He (Kaiming) normal initialisation from a seeded
 * {@link Random}, whose Gaussian sequence the Java specification fixes, so every run and every
 * JVM writes the same bytes.
 */
final class HeInit {
    private final Random random;

    HeInit(long seed) {
        random = new Random(seed);
    }

    /** {@code count} weights with standard deviation gain·√(2 / fanIn). */
    float[] weights(int count, int fanIn, double gain) {
        double std = gain * Math.sqrt(2.0 / fanIn);
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        return w;
    }
}
