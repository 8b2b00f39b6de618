package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tagger.common.Json;

class StatusTableTest {
    private static final String SNAPSHOT = """
            {"at": 1800000100000, "windowSeconds": 20, "workersOnline": 1,
             "workers": [{"id": "tagger-worker-1", "model": {"name": "demo-colors", "version": "1"}, "device": "cpu",
                          "imagesPerSecond": 12.34, "capacity": 40.1, "utilisation": 0.3, "dutyCycle": 0.05,
                          "batchSizeP50": 4, "maxBatch": 16, "inFlight": 2, "startedAt": 1800000000000, "heartbeatAgeMs": 500}],
             "apiServers": [{"id": "tagger-api-1", "inFlight": 3, "waiting": 2, "startedAt": 0, "heartbeatAgeMs": 0}],
             "queues": {"realtime": {"messages": 0, "consumers": 1, "maxLength": 5000},
                        "bulk": {"messages": 1200, "consumers": 1}, "dead": {"messages": 0, "consumers": 0}},
             "throughput": {"total": 12.3, "realtime": 10.1, "bulk": 2.2},
             "latency": {"realtime": {"count": 412, "p50Ms": 35.0, "p99Ms": 120.0}, "bulk": {"count": 0, "p50Ms": 0, "p99Ms": 0}},
             "errors": {"realtime": {"overloaded": 3}, "bulk": {}},
             "cache": {"lookups": 40, "hits": 30, "hitRate": 0.75},
             "recommendation": {"workers": 4, "current": 1, "explanation": "r=12.3 img/s per worker ...",
                                "formula": "workers = max(...)", "decidedBy": "drainAndMigrations",
                                "terms": {"minWorkers": 1, "drainAndMigrations": 4, "realtimeSlo": 1},
                                "migrations": [{"id": "batch-7", "pending": 7495, "horizonSeconds": 720, "target": "deadline",
                                                "neededPerSecond": 10.41}]},
             "migrations": [{"id": "batch-7", "status": "cancelled", "total": 10000, "tagged": 2000, "failed": 5,
                             "cancelled": 500, "pending": 7495, "imagesPerSecond": 20.0, "etaSeconds": 374.8}]}
            """;

    @Test
    void theStatusShowsEveryPartOfTheClusterView() throws Exception {
        String out = StatusTable.render("http://127.0.0.1:8080", Json.MAPPER.readTree(SNAPSHOT));
        assertTrue(out.startsWith("tagger at http://127.0.0.1:8080 — 1 worker(s) online, 1 api-server(s)\n"), out);
        assertTrue(out.contains("""
                WORKER           MODEL          DEVICE  IMG/S  CAPACITY  UTIL  DUTY  BATCH  IN-FLIGHT     UP
                tagger-worker-1  demo-colors 1  cpu      12.3      40.1   30%    5%      4          2  1m40s
                """), out);
        assertTrue(out.contains("""
                QUEUE     READY  CONSUMERS  LIMIT
                realtime      0          1   5000
                bulk       1200          1      -
                dead          0          0      -
                """), out);
        assertTrue(out.contains("THROUGHPUT   12.3 img/s (real-time 10.1, bulk 2.2)\n"), out);
        assertTrue(out.contains("LATENCY      real-time p50 35 ms, p99 120 ms (412 answers); bulk –\n"), out);
        assertTrue(out.contains("ERRORS       real-time overloaded 3; bulk none  (last 20 s)\n"), out);
        assertTrue(out.contains("CACHE        hit rate 75% (30 of 40 lookups)\n"), out);
        assertTrue(out.contains("RECOMMENDED WORKERS  4 (now 1) — set by drainAndMigrations (minWorkers 1, "
                + "drainAndMigrations 4, realtimeSlo 1)\n"), out);
        assertTrue(out.contains("""
                MIGRATION  STATUS     TAGGED  FAILED  CANCELLED  PENDING  TOTAL  IMG/S    ETA                 PLANNED WITHIN
                batch-7    cancelled    2000       5        500     7495  10000   20.0  6m14s  12m0s (deadline) → 10.4 img/s
                """), out);
    }

    @Test
    void durationsReadLikeAClock() {
        assertEquals("59s", StatusTable.since(59_999));
        assertEquals("2m5s", StatusTable.since(125_000));
        assertEquals("3h2m", StatusTable.since((3 * 3600 + 120) * 1000L));
    }
}
