package tagger.transport.memory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import tagger.transport.PresenceBoard;
import tagger.transport.PresenceBoardContract;

class InMemoryPresenceBoardTest extends PresenceBoardContract {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InMemoryPresenceBoard board = new InMemoryPresenceBoard(new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    });

    @Override
    protected PresenceBoard board() {
        return board;
    }

    @Override
    protected void passTtl() {
        now.addAndGet(TTL.toMillis() + 1);
    }
}
