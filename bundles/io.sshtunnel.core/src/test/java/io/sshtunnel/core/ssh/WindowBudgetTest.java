package io.sshtunnel.core.ssh;

import static io.sshtunnel.core.ssh.WindowBudget.BUDGET;
import static io.sshtunnel.core.ssh.WindowBudget.FLOOR;
import static io.sshtunnel.core.ssh.WindowBudget.MAX;
import static io.sshtunnel.core.ssh.WindowBudget.MIB;
import static io.sshtunnel.core.ssh.WindowBudget.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The receive windows of one connection's channels: sized to its round trip while the budget lasts, bounded together. */
class WindowBudgetTest {
    private static final int FULL = (int) (BUDGET / MIN);

    private final WindowBudget budget = new WindowBudget();

    @Test
    void channelsGetTheLargestWindowUntilTheBudgetIsSpentThenTheFloor() {
        for (int i = 0; i < FULL; i++) {
            assertEquals(MIN, budget.reserve(), "channel " + i);
        }
        assertEquals(BUDGET, budget.committed());
        assertEquals(FLOOR, budget.reserve());
        assertEquals(FLOOR, budget.reserve());
    }

    @Test
    void twoHundredSlowReadersHoldTheBudgetPlusTheFloorEachBeyondIt() {
        long total = 0;
        for (int i = 0; i < 200; i++) {
            total += budget.reserve();
        }
        assertEquals(BUDGET + (200 - FULL) * FLOOR, total);
        assertTrue(total < 200 * MIN, "less than every channel's whole window: " + total);
    }

    @Test
    void aClosedChannelGivesItsShareBack() {
        long first = budget.reserve();
        for (int i = 1; i < FULL; i++) {
            budget.reserve();
        }
        assertEquals(FLOOR, budget.reserve(), "spent");
        budget.release(first);
        budget.release(FLOOR);
        assertEquals(MIN, budget.reserve(), "the first channel's share, again");
        assertEquals(BUDGET, budget.committed());
    }

    @Test
    void aRemainderSmallerThanTheLargestWindowIsGivenWhole() {
        for (int i = 0; i < FULL; i++) {
            budget.reserve();
        }
        budget.release(MIN);
        budget.release(MIN);
        long quarter = MIN / 4;
        budget.reserve(); // MIN short of the budget again
        budget.reserve(); // spent
        budget.release(quarter);
        assertEquals(quarter, budget.reserve(), "what is left");
        assertEquals(FLOOR, budget.reserve());
    }

    @Test
    void aLongerRoundTripGetsALargerWindowUpToTheMost() {
        assertEquals(MIN, budget.reserve(), "no round trip measured yet");
        budget.roundTrip(200_000); // 0.2 ms, loopback
        assertEquals(MIN, budget.reserve());
        budget.roundTrip(10_000_000);
        assertEquals(MIN, budget.reserve(), "the shortest round trip counts: a slow reply is a queue, not the path");
        WindowBudget wan = new WindowBudget();
        wan.roundTrip(30_000_000);
        long at30 = wan.reserve();
        assertTrue(at30 > 15 * MIB && at30 < MAX, "30 ms: " + at30);
        WindowBudget far = new WindowBudget();
        far.roundTrip(80_000_000);
        assertEquals(MAX, far.reserve(), "80 ms");
    }

    @Test
    void onALongPathFourStreamsSpendTheBudgetAndTheRestGetTheFloor() {
        budget.roundTrip(80_000_000);
        for (int i = 0; i < BUDGET / MAX; i++) {
            assertEquals(MAX, budget.reserve(), "channel " + i);
        }
        assertEquals(FLOOR, budget.reserve());
        assertEquals(BUDGET + FLOOR, budget.committed());
    }
}
