package tagger.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tagger.common.ErrorCode;
import tagger.testkit.PhotoCorpus;

class IsolatedHeifDecoderTest {

    private static byte[] heic;

    @BeforeAll
    static void generate() {
        heic = PhotoCorpus.generate(PhotoCorpus.upright(96, 64)).items().stream()
                .filter(i -> i.name().equals("photo.heic")).findFirst().orElseThrow().bytes();
    }

    @Test
    void aChildProcessDecodesLikeTheInProcessDecoder() throws Exception {
        HeifDecoder.Decoded here = HeifDecoder.decode(heic, "HEIC", 1_000_000, (w, h) -> 2);
        try (IsolatedHeifDecoder isolated = new IsolatedHeifDecoder(IsolatedHeifDecoder.javaCommand(HeifProcess.class.getName()), 1)) {
            for (int i = 0; i < 3; i++) { // the same child serves one image after another
                HeifDecoder.Decoded there = isolated.decode(heic, "HEIC", 1_000_000, 2);
                assertEquals(48, there.width());
                assertEquals(32, there.height());
                assertArrayEquals(here.rgb(), there.rgb());
            }
        }
    }

    @Test
    void theChildsRefusalsArriveWithTheirCode() throws Exception {
        try (IsolatedHeifDecoder isolated = new IsolatedHeifDecoder(IsolatedHeifDecoder.javaCommand(HeifProcess.class.getName()), 1)) {
            UndecodableImageException big = assertThrows(UndecodableImageException.class, () -> isolated.decode(heic, "HEIC", 100, 1));
            assertEquals(ErrorCode.TOO_MANY_PIXELS, big.code());
            byte[] cut = java.util.Arrays.copyOf(heic, heic.length / 2);
            UndecodableImageException truncated = assertThrows(UndecodableImageException.class, () -> isolated.decode(cut, "HEIC", 1_000_000, 1));
            assertEquals(ErrorCode.UNDECODABLE, truncated.code());
            assertTrue(truncated.getMessage().startsWith("cannot decode HEIC (" + cut.length + " bytes): libheif error"), truncated.getMessage());
        }
    }

    @Test
    void aNativeCrashFailsOneImageAndTheNextGetsANewProcess(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(IsolatedHeifDecoder.javaCommand(SegfaultingHeifProcess.class.getName()));
        command.add(1, "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"));
        try (IsolatedHeifDecoder isolated = new IsolatedHeifDecoder(command, 1)) {
            for (int i = 0; i < 2; i++) {
                UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> isolated.decode(heic, "HEIC", 1_000_000, 1));
                assertEquals(ErrorCode.UNDECODABLE, e.code());
                assertTrue(e.getMessage().startsWith("HEIC decoder process died decoding this image (" + heic.length
                        + " bytes, exit code 134, signal 6); the worker carries on"), e.getMessage());
            }
        }
        try (var crashes = Files.list(dir)) {
            assertEquals(2, crashes.count(), "one JVM crash report per child");
        }
    }

    @Test
    void aChildThatHangsIsKilledAfterTheLimitAndTheImageIsUndecodable() throws Exception {
        List<String> command = IsolatedHeifDecoder.javaCommand(HangingHeifProcess.class.getName());
        try (IsolatedHeifDecoder isolated = new IsolatedHeifDecoder(command, 1, java.time.Duration.ofSeconds(2))) {
            UndecodableImageException e = assertThrows(UndecodableImageException.class, () -> isolated.decode(heic, "HEIC", 1_000_000, 1));
            assertEquals(ErrorCode.UNDECODABLE, e.code());
            assertTrue(e.getMessage().startsWith("HEIC decoder process died decoding this image (" + heic.length
                    + " bytes, killed after the 2000 ms limit, or by SIGKILL)"), e.getMessage());
        }
    }
}
