package tagger.api.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tagger.common.Json;
import tagger.common.ModelRef;
import tagger.common.WorkerPresence;
import tagger.transport.PresenceBoard;

/**
 * The models the live workers announce on the presence board, refreshed every second on the
 * "cache-models" thread so that a lookup never waits for the board. Most-served model first; empty
 * until a worker has announced itself.
 */
final class ServedModels implements AutoCloseable {
    static final long REFRESH_MS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(ServedModels.class);

    private final PresenceBoard board;
    private volatile List<ModelRef> current = List.of();
    private ScheduledExecutorService timer;

    ServedModels(PresenceBoard board) {
        this.board = board;
    }

    void start(ScheduledExecutorService timer) {
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::refresh, 0, REFRESH_MS, TimeUnit.MILLISECONDS);
    }

    /** Models that never change (tests). */
    static ServedModels fixed(List<ModelRef> models) {
        ServedModels m = new ServedModels(null);
        m.current = List.copyOf(models);
        return m;
    }

    List<ModelRef> current() {
        return current;
    }

    void refresh() {
        try {
            Map<ModelRef, Integer> workers = new TreeMap<>(
                    Comparator.comparing(ModelRef::name).thenComparing(ModelRef::version));
            for (String json : board.members(WorkerPresence.KIND)) {
                try {
                    ModelRef m = Json.read(json, WorkerPresence.class).model();
                    if (m != null && m.name() != null && m.version() != null) {
                        workers.merge(m, 1, Integer::sum);
                    }
                } catch (RuntimeException e) {
                    log.debug("ignoring an unreadable worker announcement: {}", e.toString());
                }
            }
            List<ModelRef> models = new ArrayList<>(workers.keySet());
            models.sort(Comparator.comparing((ModelRef m) -> -workers.get(m))); // stable: ties keep name order
            current = List.copyOf(models);
        } catch (RuntimeException e) {
            log.debug("cannot read the worker announcements; keeping the last known models: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
