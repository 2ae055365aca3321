package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimitTest {
    @Test
    void aBurstThenTheRateForEachClientApart() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimit limit = new RateLimit(2, 4, now::get);
        for (int i = 0; i < 4; i++) {
            assertTrue(limit.tryAcquire("a"), "burst " + i);
        }
        assertFalse(limit.tryAcquire("a"), "the burst is spent");
        assertTrue(limit.tryAcquire("b"), "another client has its own");
        now.addAndGet(500_000_000L);
        assertTrue(limit.tryAcquire("a"), "one more after half a second at 2 a second");
        assertFalse(limit.tryAcquire("a"));
        now.addAndGet(60_000_000_000L);
        for (int i = 0; i < 4; i++) {
            assertTrue(limit.tryAcquire("a"), "a full burst again after a pause, never more");
        }
        assertFalse(limit.tryAcquire("a"));
    }
}
