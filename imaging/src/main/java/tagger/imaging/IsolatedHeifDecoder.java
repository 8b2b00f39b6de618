package tagger.imaging;

import static tagger.imaging.UndecodableImageException.tooManyPixels;
import static tagger.imaging.UndecodableImageException.undecodable;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs libheif in child processes ({@link HeifProcess}), so that a native crash on a hostile HEIC
 * or AVIF file fails that one image ({@code undecodable}, "decoder process died") instead of
 * taking the worker down, and a child that hangs is killed after a time limit (30 s). At most {@code size} children, started on first use and replaced when
 * one dies; a caller waits for a free one. Only subsampled RGB crosses the pipe (a few MB).
 *
 * <p>Thread-safe. Each child is used by one caller at a time (it leaves the idle queue while used).
 */
final class IsolatedHeifDecoder implements AutoCloseable {

    /** Kills a child that has not answered in time: a decoder stuck in a loop must not hold a thread forever. */
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "heif-watchdog");
                t.setDaemon(true);
                return t;
            });

    private final List<String> command;
    private final int size;
    private final java.time.Duration timeout;
    private final BlockingQueue<Child> idle;
    private int started; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param command the child's command line; {@link #javaCommand} runs {@link HeifProcess} with this JVM's class path
     */
    IsolatedHeifDecoder(List<String> command, int size) {
        this(command, size, java.time.Duration.ofSeconds(30));
    }

    /** @param timeout how long one image may take before its child is killed (the image is then undecodable) */
    IsolatedHeifDecoder(List<String> command, int size, java.time.Duration timeout) {
        this.timeout = timeout;
        if (size < 1) {
            throw new IllegalArgumentException("HEIF decoder processes must be at least 1, got " + size);
        }
        this.command = List.copyOf(command);
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** {@code java -cp <this class path> tagger.imaging.HeifProcess}, with a small heap: it holds one image. */
    static List<String> javaCommand(String mainClass) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // VM warnings must not reach stdout: it carries the answers
        return List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+DisplayVMOutputToStderr",
                "-cp", System.getProperty("java.class.path"), mainClass);
    }

    HeifDecoder.Decoded decode(byte[] bytes, String format, long maxPixels, int subsampling) throws UndecodableImageException {
        Child child = acquire(format);
        boolean healthy = false;
        java.util.concurrent.ScheduledFuture<?> watchdog =
                WATCHDOG.schedule(child.process::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            child.out.writeInt(bytes.length);
            child.out.write(bytes);
            child.out.writeLong(maxPixels);
            child.out.writeInt(subsampling);
            child.out.flush();
            int status = child.in.readUnsignedByte();
            if (status != HeifProcess.OK) {
                String message = child.in.readUTF();
                healthy = true;
                throw status == HeifProcess.TOO_MANY_PIXELS ? tooManyPixels(message) : undecodable(message);
            }
            int w = child.in.readInt();
            int h = child.in.readInt();
            int sourceWidth = child.in.readInt();
            int sourceHeight = child.in.readInt();
            int iccLength = child.in.readInt();
            byte[] icc = iccLength < 0 ? null : new byte[iccLength];
            if (icc != null) {
                child.in.readFully(icc);
            }
            byte[] rgb = new byte[Math.multiplyExact(3, Math.multiplyExact(w, h))];
            child.in.readFully(rgb);
            healthy = true;
            return new HeifDecoder.Decoded(rgb, w, h, sourceWidth, sourceHeight, icc);
        } catch (IOException | ArithmeticException e) {
            throw undecodable(format + " decoder process died decoding this image (" + bytes.length + " bytes, "
                    + child.exitDescription(timeout) + "); the worker carries on and the next image gets a new process", e);
        } finally {
            watchdog.cancel(false);
            release(child, healthy);
        }
    }

    private Child acquire(String format) throws UndecodableImageException {
        Child child = idle.poll();
        if (child != null) {
            return child;
        }
        synchronized (this) {
            if (closed) {
                throw undecodable(format + " decoder is shut down");
            }
            if (started < size) {
                started++;
                try {
                    return new Child(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
                } catch (IOException e) {
                    started--;
                    throw undecodable("cannot start the " + format + " decoder process " + command + ": " + e.getMessage(), e);
                }
            }
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw undecodable(format + " decode interrupted while waiting for a decoder process");
        }
    }

    private void release(Child child, boolean healthy) {
        if (healthy && idle.offer(child)) {
            return;
        }
        child.process.destroyForcibly();
        synchronized (this) {
            started--;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        List<Child> children = new ArrayList<>();
        idle.drainTo(children);
        for (Child c : children) {
            try {
                c.out.close(); // EOF on its stdin: it exits
            } catch (IOException e) {
                // already gone
            }
            c.process.destroy();
        }
    }

    private static final class Child {
        final Process process;
        final DataOutputStream out;
        final DataInputStream in;

        Child(Process process) {
            this.process = process;
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        }

        String exitDescription(java.time.Duration timeout) {
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    int code = process.exitValue();
                    if (code == 137) {
                        return "killed after the " + timeout.toMillis() + " ms limit, or by SIGKILL";
                    }
                    return code > 128 ? "exit code " + code + ", signal " + (code - 128) : "exit code " + code;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "no answer";
        }
    }
}
