package tagger.launcher.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * CPU time of whole processes (every thread, user + system) from Linux's {@code /proc/<pid>/stat},
 * and which process listens on a TCP port (to find the broker's and Redis's process without
 * guessing from names).
 */
final class ProcessCpu {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux architecture tagger runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /**
     * CPU seconds {@code pid} has used so far (utime + stime of all its threads).
     *
     * @throws IllegalStateException when the process is gone or /proc cannot be read
     */
    static double seconds(long pid) {
        try {
            return seconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + " from /proc: " + e, e);
        }
    }

    /** utime + stime of one /proc stat line (a process's or a thread's), in seconds. */
    private static double seconds(String stat) {
        // fields after the command name, which is in parentheses and may itself contain spaces
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(f[11]); // field 14 of proc(5)
        long stime = Long.parseLong(f[12]); // field 15
        return (utime + stime) / TICKS_PER_SECOND;
    }

    /**
     * CPU seconds per thread name of {@code pid} so far, threads of one pool summed (digits in the
     * name become {@code #}); threads that ended are not counted. Empty when /proc cannot be read.
     */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> m = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    m.merge(name, seconds(stat), Double::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread just ended
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return m;
    }

    /**
     * The process with a socket listening on TCP {@code port} (IPv4 or IPv6), if this user can see it:
     * the socket's inode from /proc/net/tcp{,6}, then the process whose file descriptors hold it.
     */
    static OptionalLong listeningOn(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ... inode (field 9); st 0A = LISTEN
                    if (f.length > 9 && f[1].endsWith(String.format(Locale.ROOT, ":%04X", port)) && f[3].equals("0A")) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException e) {
                // no IPv6 table, or not Linux
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                            return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // another user's process, or it just ended
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
