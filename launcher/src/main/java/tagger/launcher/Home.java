package tagger.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import tagger.models.DemoModel;

/** The launcher's working folder ({@code TAGGER_HOME}, default {@code .tagger} in the checkout): models, logs. */
public final class Home {
    private Home() {
    }

    public static Path dir() {
        String env = System.getenv("TAGGER_HOME");
        return Path.of(env == null || env.isBlank() ? ".tagger" : env).toAbsolutePath();
    }

    static Path logs() {
        return dir().resolve("logs");
    }

    /** The demo model directory, generated on first use. */
    public static Path demoModel() throws java.io.IOException {
        Path dir = dir().resolve("models").resolve("demo");
        if (!Files.exists(dir.resolve("model.json"))) {
            Files.createDirectories(dir);
            DemoModel.write(dir);
        }
        return dir;
    }
}
