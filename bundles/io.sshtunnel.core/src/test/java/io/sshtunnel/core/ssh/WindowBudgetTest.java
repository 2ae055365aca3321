package io.sshtunnel.core.ssh;

import static io.sshtunnel.core.ssh.WindowBudget.BUDGET;
import static io.sshtunnel.core.ssh.WindowBudget.FLOOR;
import static io.sshtunnel.core.ssh.WindowBudget.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The receive windows of one connection's channels: large while the budget lasts, bounded together. */
class WindowBudgetTest {
    private final WindowBudget budget = new WindowBudget();

    @Test
    void theFirstChannelsGetTheLargestWindowUntilTheBudgetIsSpent() {
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sizes.add(budget.reserve());
        }
        assertEquals(List.of(MAX, MAX, MAX, MAX, FLOOR, FLOOR), sizes, "64 MiB: four of 16 MiB, then the floor");
    }

    @Test
    void twoHundredSlowReadersHoldTheBudgetPlusTheFloorEachBeyondIt() {
        long total = 0;
        for (int i = 0; i < 200; i++) {
            total += budget.reserve();
        }
        assertEquals(BUDGET + 196 * FLOOR, total);
        assertTrue(total < 114 * WindowBudget.MIB, "at most 64 MiB + 49 MiB with 200 connections: " + total);
    }

    @Test
    void aClosedChannelGivesItsShareBackAndAPartialShareIsUsed() {
        long a = budget.reserve();
        long b = budget.reserve();
        budget.reserve();
        budget.reserve();
        assertEquals(FLOOR, budget.reserve(), "spent");
        budget.release(a);
        budget.release(FLOOR);
        assertEquals(MAX, budget.reserve(), "a's share again");
        budget.release(b);
        budget.release(MAX);
        assertEquals(MAX, budget.reserve());
        assertEquals(BUDGET - MAX, budget.committed(), "three of 16 MiB held now");
    }

    @Test
    void aRemainderSmallerThanTheLargestWindowIsGivenWhole() {
        budget.reserve();
        budget.reserve();
        budget.reserve();
        budget.release(MAX);
        budget.reserve(); // 48 MiB committed again
        long last = budget.reserve(); // 16 MiB left
        assertEquals(MAX, last);
        budget.release(MAX / 2 * 2); // back to 48
        budget.release(MAX / 4);  // 44 MiB committed: 20 left, capped at 16
        assertEquals(MAX, budget.reserve());
        assertEquals(4 * WindowBudget.MIB, budget.reserve(), "what is left, 4 MiB");
        assertEquals(FLOOR, budget.reserve());
    }
}
