package tasklab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Notebook self-checks: an int guess matches a long count; a wrong guess says both values. */
class CheckTest {
    @Test
    void guessComparesNumbersByValue() {
        assertTrue(Check.guess("tasks", 7, 7L).passed());
        assertFalse(Check.guess("tasks", 6, 7L).passed());
        assertEquals("tasks: the simulator says 7, you predicted 6.", Check.guess("tasks", 6, 7L).message());
    }

    @Test
    void wrongAnswerShowsHintAndRendersWithoutThrowing() {
        Check.Result r = Check.answer("pid", -1, 8, "Look at sim.ps().");
        assertFalse(r.passed());
        assertTrue(r.toHtml().contains("Look at sim.ps()."));
        assertTrue(Check.that("zombie", true, "x").toString().startsWith("[right]"));
        assertTrue(Check.guess("bits", "P U", "P U").passed());
    }
}
