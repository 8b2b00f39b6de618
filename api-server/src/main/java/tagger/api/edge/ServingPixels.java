package tagger.api.edge;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import tagger.common.Json;
import tagger.common.WorkerPresence;
import tagger.imaging.PixelSpec;
import tagger.transport.PresenceBoard;

/**
 * The pixel spec the workers serving the queue take, learned from their presence announcements and
 * re-read at most once a second. Known only while every announcing worker names the same one: during
 * a rollout that changes the model's input (mixed fingerprints), or while any worker does not say,
 * the api-server sends originals and each worker preprocesses for its own model.
 */
public final class ServingPixels {
    static final long REFRESH_MS = 1_000;

    private final PresenceBoard board;
    private final Clock clock;
    private Known known;

    /** @param spec the agreed spec, or null with {@code why} saying why there is none */
    record Known(long at, PixelSpec spec, String why) {
    }

    public ServingPixels(PresenceBoard board, Clock clock) {
        this.board = board;
        this.clock = clock;
    }

    public Optional<PixelSpec> current() {
        return Optional.ofNullable(known().spec());
    }

    /** The agreed fingerprint, or why there is none; for /v1/cluster and logs. */
    public String describe() {
        Known k = known();
        return k.spec() != null ? k.spec().fingerprint() : "none (" + k.why() + ")";
    }

    private synchronized Known known() {
        long now = clock.millis();
        if (known == null || now - known.at() >= REFRESH_MS || now < known.at()) {
            known = read(now);
        }
        return known;
    }

    private Known read(long now) {
        List<WorkerPresence> workers = new ArrayList<>();
        try {
            for (String json : board.members(WorkerPresence.KIND)) {
                workers.add(Json.read(json, WorkerPresence.class));
            }
        } catch (RuntimeException e) {
            return new Known(now, null, "presence unreadable: " + e.getMessage());
        }
        return agree(now, workers);
    }

    static Known agree(long now, List<WorkerPresence> workers) {
        if (workers.isEmpty()) {
            return new Known(now, null, "no worker announced");
        }
        TreeSet<String> fingerprints = new TreeSet<>();
        for (WorkerPresence w : workers) {
            if (w.pixels() == null) {
                return new Known(now, null, "worker " + w.id() + " does not announce its pixel spec");
            }
            fingerprints.add(w.pixels());
        }
        if (fingerprints.size() > 1) {
            return new Known(now, null, "workers take different pixels " + fingerprints + " (model rollout?)");
        }
        try {
            return new Known(now, PixelSpec.parse(fingerprints.first()), null);
        } catch (IllegalArgumentException e) {
            return new Known(now, null, e.getMessage());
        }
    }
}
