package io.sshtunnel.core.ssh;

import static io.sshtunnel.core.ssh.WindowBudget.BUDGET;
import static io.sshtunnel.core.ssh.WindowBudget.FLOOR;
import static io.sshtunnel.core.ssh.WindowBudget.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The receive windows of one connection's channels: the largest while the budget lasts, bounded together. */
class WindowBudgetTest {
    private static final int FULL = (int) (BUDGET / MAX);

    private final WindowBudget budget = new WindowBudget();

    @Test
    void channelsGetTheLargestWindowUntilTheBudgetIsSpentThenTheFloor() {
        for (int i = 0; i < FULL; i++) {
            assertEquals(MAX, budget.reserve(), "channel " + i);
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
        assertTrue(total < 200 * MAX, "less than every channel's whole window: " + total);
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
        assertEquals(MAX, budget.reserve(), "the first channel's share, again");
        assertEquals(BUDGET, budget.committed());
    }

    @Test
    void aRemainderSmallerThanTheLargestWindowIsGivenWhole() {
        for (int i = 0; i < FULL; i++) {
            budget.reserve();
        }
        budget.release(MAX);
        budget.release(MAX);
        long quarter = MAX / 4;
        budget.reserve(); // MAX short of the budget again
        budget.reserve(); // spent
        budget.release(quarter);
        assertEquals(quarter, budget.reserve(), "what is left");
        assertEquals(FLOOR, budget.reserve());
    }
}
