package tagger.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UploadBudgetTest {

    @Test
    void bodiesAreAdmittedWhileTheirBytesFitAndRefusedBeyond() {
        UploadBudget budget = new UploadBudget(100);
        assertTrue(budget.tryAcquire(60));
        assertTrue(budget.tryAcquire(40));
        assertFalse(budget.tryAcquire(1));
        assertEquals(100, budget.held());
    }

    @Test
    void releasedBytesCanBeTakenAgain() {
        UploadBudget budget = new UploadBudget(100);
        assertTrue(budget.tryAcquire(100));
        budget.release(30);
        assertTrue(budget.tryAcquire(30));
        assertFalse(budget.tryAcquire(1));
    }

    @Test
    void aRefusedBodyHoldsNothing() {
        UploadBudget budget = new UploadBudget(100);
        assertTrue(budget.tryAcquire(50));
        assertFalse(budget.tryAcquire(51));
        assertEquals(50, budget.held());
    }

    @Test
    void anEmptyBudgetIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UploadBudget(0));
        assertEquals("upload budget must be at least 1 byte, got 0", e.getMessage());
    }
}
