package tagger.testkit;

import tagger.common.Names;
import tagger.fixtures.ScratchNamespace;

/**
 * A test's own namespace ({@code it-} plus ten random characters) on the services {@link LocalServices}
 * finds; everything it declared is deleted on close (see {@link ScratchNamespace}).
 */
public final class TestNamespace extends ScratchNamespace {
    private TestNamespace(Names names) {
        super(names, LocalServices::rabbitUri, LocalServices::redisUri);
    }

    /** A namespace {@code it-} plus ten random characters. */
    public static TestNamespace random() {
        return new TestNamespace(randomNames("it-"));
    }
}
