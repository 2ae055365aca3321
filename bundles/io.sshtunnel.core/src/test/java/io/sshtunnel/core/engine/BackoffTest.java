package io.sshtunnel.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.function.DoubleSupplier;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    private static List<Long> delays(Backoff b, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.next());
        }
        return out;
    }

    @Test
    void lowestRandomGivesHalfOfEachStepDoublingFromOneSecondUpToTheCap() {
        Backoff b = new Backoff(20_000, () -> 0.0);
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 10_000L, 10_000L, 10_000L), delays(b, 8));
    }

    @Test
    void highestRandomGivesTheWholeStepCappedAtTheMaximum() {
        Backoff b = new Backoff(20_000, () -> 1.0);
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 20_000L, 20_000L), delays(b, 7));
    }

    @Test
    void middleRandomGivesThreeQuartersOfEachStep() {
        Backoff b = new Backoff(16_000, () -> 0.5);
        assertEquals(List.of(750L, 1_500L, 3_000L, 6_000L, 12_000L, 12_000L), delays(b, 6));
    }

    @ParameterizedTest
    @ValueSource(longs = { 1_000, 5_000, 20_000, 60_000, 3_600_000 })
    void everyDelayLiesInTheUpperHalfOfItsStep(long max) {
        PrimitiveIterator.OfDouble randoms = DoubleStream.iterate(0.0, r -> (r + 0.13) % 1.0).iterator();
        DoubleSupplier random = randoms::nextDouble;
        Backoff b = new Backoff(max, random);
        for (int step = 0; step < 100; step++) {
            long cap = step >= 30 ? max : Math.min(max, 1_000L << step);
            long d = b.next();
            assertTrue(d >= cap / 2 && d <= cap, "step " + step + ": " + d + " not in [" + cap / 2 + ", " + cap + "]");
            assertEquals(step + 1, b.step());
        }
    }

    @Test
    void manyFailuresNeverOverflowPastTheCap() {
        Backoff b = new Backoff(20_000, () -> 0.999_999);
        for (int i = 0; i < 200; i++) {
            long d = b.next();
            assertTrue(d > 0 && d <= 20_000, "attempt " + i + ": " + d);
        }
        assertTrue(b.next() >= 10_000);
    }

    @Test
    void resetStartsAgainFromOneSecond() {
        Backoff b = new Backoff(20_000, () -> 0.0);
        delays(b, 6);
        assertEquals(6, b.step());
        b.reset();
        assertEquals(0, b.step());
        assertEquals(List.of(500L, 1_000L, 2_000L), delays(b, 3));
    }

    @ParameterizedTest
    @ValueSource(longs = { -5, 0, 1, 999 })
    void aMaximumBelowOneSecondIsRaisedToOneSecond(long max) {
        Backoff b = new Backoff(max, () -> 1.0);
        assertEquals(List.of(1_000L, 1_000L, 1_000L), delays(b, 3));
        Backoff low = new Backoff(max, () -> 0.0);
        assertEquals(List.of(500L, 500L), delays(low, 2));
    }
}
