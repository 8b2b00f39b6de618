package tagger.transport.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.Response;
import tagger.common.Json;
import tagger.common.Names;
import tagger.transport.BatchStore;
import tagger.transport.BatchStore.ItemResult;
import tagger.transport.DecayingRate;

/**
 * Records bulk item outcomes with {@link BatchScripts#OUTCOME}: for each, one script that adds the
 * item to the batch's "done" hash and, only if it was not there, appends the outcome to the results
 * stream and counts it — so redeliveries and both stages can never produce a second outcome.
 */
final class BatchOutcomes {
    private BatchOutcomes() {
    }

    /** Queues one outcome on a pipeline; the response is 1 (new), 0 (had one) or -1 (unknown batch). */
    static Response<Object> queue(AbstractPipeline p, Names names, ItemResult r) {
        String batch = names.batchKey(r.batchId());
        return BatchScripts.OUTCOME.queue(p, List.of(batch, batch + ":done", batch + ":results", names.batchCallbacks()),
                List.of(r.outcome().id(), Json.write(r.outcome()), BatchStore.counterOf(r.outcome()), r.batchId(),
                        Long.toString(DecayingRate.TAU_MS)));
    }

    /** Records the outcomes in one round trip (two after a script-cache miss); returns how many were new. */
    static int record(UnifiedJedis client, Names names, List<ItemResult> results) {
        List<Response<Object>> replies = new ArrayList<>(results.size());
        try (AbstractPipeline p = client.pipelined()) {
            for (ItemResult r : results) {
                replies.add(queue(p, names, r));
            }
            p.sync();
        }
        int recorded = 0;
        List<ItemResult> again = new ArrayList<>();
        for (int i = 0; i < replies.size(); i++) {
            try {
                if (Long.valueOf(1).equals(replies.get(i).get())) {
                    recorded++;
                }
            } catch (redis.clients.jedis.exceptions.JedisNoScriptException e) {
                again.add(results.get(i));
            }
        }
        if (!again.isEmpty()) {
            BatchScripts.OUTCOME.load(client);
            recorded += record(client, names, again);
        }
        return recorded;
    }
}
