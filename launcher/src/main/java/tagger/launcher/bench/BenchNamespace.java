package tagger.launcher.bench;

import tagger.common.Settings;
import tagger.fixtures.ScratchNamespace;

/** A benchmark's own namespace on the broker and Redis the environment names; deleted when the run ends. */
public final class BenchNamespace {
    private BenchNamespace() {
    }

    /** {@code bench-} plus ten random characters, on {@code TAGGER_RABBITMQ_URI} and {@code TAGGER_REDIS_URI}. */
    public static ScratchNamespace create() {
        Settings settings = new Settings(System.getenv());
        ScratchNamespace ns = ScratchNamespace.random("bench-", settings.rabbitUri(), settings.redisUri());
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", settings.problems()));
        }
        return ns;
    }
}
