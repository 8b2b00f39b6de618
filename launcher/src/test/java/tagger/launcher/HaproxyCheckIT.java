package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code haproxy -c} accepts both renderings of deploy/haproxy/haproxy.cfg.template. */
class HaproxyCheckIT {

    private static Path haproxy() {
        return Haproxy.binary().orElseThrow(() -> new IllegalStateException(Haproxy.missingMessage(2)
                + " (./tagger test installs it)"));
    }

    @Test
    void theDockerComposeConfigIsValid() {
        // the compose service names do not resolve here: init-addr none lets HAProxy accept that
        assertNull(Haproxy.check(haproxy(), HaproxyConfigTest.COMPOSE_CFG));
    }

    @Test
    void theLocalConfigIsValid(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("local.cfg");
        Files.writeString(cfg, HaproxyConfig.local("leastconn", 8080, 8404,
                List.of(new HaproxyConfig.Server("api-1", "127.0.0.1:9001")), "1s"));
        assertNull(Haproxy.check(haproxy(), cfg));
    }

    @Test
    void anInvalidConfigIsRefusedWithHaproxysReason(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("bad.cfg");
        Files.writeString(cfg, HaproxyConfig.local("fastest", 8080, 8404,
                List.of(new HaproxyConfig.Server("api-1", "127.0.0.1:9001")), "1s"));
        String problems = Haproxy.check(haproxy(), cfg);
        assertTrue(problems != null && problems.contains("balance only supports"), problems);
    }
}
