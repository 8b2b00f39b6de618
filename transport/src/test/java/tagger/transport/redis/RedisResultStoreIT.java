package tagger.transport.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tagger.testkit.TestNamespace;
import tagger.transport.BatchStore;
import tagger.transport.ResultFeed;
import tagger.transport.ResultStore;
import tagger.transport.ResultStoreContract;

class RedisResultStoreIT extends ResultStoreContract {
    private TestNamespace ns;
    private RedisResultStore store;
    private RedisBatchStore batches;

    @BeforeEach
    void connect() {
        ns = TestNamespace.random();
        store = new RedisResultStore(ns.redisUri(), ns.names());
        batches = new RedisBatchStore(ns.redisUri(), ns.names());
    }

    @AfterEach
    void cleanUp() {
        store.close();
        batches.close();
        ns.close();
    }

    @Override
    protected ResultStore store() {
        return store;
    }

    @Override
    protected BatchStore batches() {
        return batches;
    }

    @Override
    protected ResultFeed feed() {
        return store;
    }
}
