package tagger.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.MessageDigest;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tagger.testkit.SampleImages;

/** {@code bench stack}'s plumbing that runs without a stack: option checks, unique request bodies, /proc reading. */
class StackCommandTest {

    @Test
    void uniqueBodiesDifferInBytesButDecodeToTheSamePixels() throws Exception {
        BufferedImage photo = SampleImages.photoLike(64, 48, 1);
        byte[] jpeg = SampleImages.jpeg(photo);
        byte[] a = StackCommand.unique(jpeg, 1);
        byte[] b = StackCommand.unique(jpeg, 2);

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertFalse(MessageDigest.isEqual(sha.digest(a), sha.digest(b)), "the result cache must see two images");
        assertEquals((byte) 0xFF, a[2]);
        assertEquals((byte) 0xFE, a[3], "a COM segment right after SOI");
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(b));
        assertArrayEquals(original.getRGB(0, 0, 64, 48, null, 0, 64), copy.getRGB(0, 0, 64, 48, null, 0, 64));
    }

    @Test
    void unknownConfigurationIsAUsageErrorNamingIt() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("stack", "--configs", "before,fastest");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--configs") && err.toString().contains("'fastest'"), err.toString());
    }

    @Test
    void repeatedConfigurationIsRefused() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("stack", "--configs", "after,after");
        assertEquals(2, code);
        assertTrue(err.toString().contains("'after'"), err.toString());
    }

    @Test
    void ownProcessCpuIsReadFromProc() {
        long pid = ProcessHandle.current().pid();
        double before = ProcessCpu.seconds(pid);
        long x = 0;
        for (long i = 0; i < 300_000_000L; i++) {
            x += i ^ (x >>> 3);
        }
        assertTrue(ProcessCpu.seconds(pid) > before, "a busy loop of this process must add CPU time (" + x + ")");
        assertFalse(ProcessCpu.threads(pid).isEmpty());
    }
}
