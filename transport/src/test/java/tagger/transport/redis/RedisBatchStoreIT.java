package tagger.transport.redis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tagger.testkit.TestNamespace;
import tagger.transport.BatchStore;
import tagger.transport.BatchStoreContract;

class RedisBatchStoreIT extends BatchStoreContract {
    private TestNamespace ns;
    private RedisBatchStore store;

    @BeforeEach
    void connect() {
        ns = TestNamespace.random();
        store = new RedisBatchStore(ns.redisUri(), ns.names());
    }

    @AfterEach
    void cleanUp() {
        store.close();
        ns.close();
    }

    @Override
    protected BatchStore store() {
        return store;
    }
}
