package tasklab.lab;

import java.util.Objects;

/**
 * Self-checks for tutorial notebooks: compare a student's prediction with what the simulator
 * did, or say whether an exercise's answer is right yet. A check never throws, so a notebook
 * still runs top to bottom with a wrong guess; the result renders as one coloured line.
 * Example: {@code int guess = 3; ... Check.guess("tasks after boot", guess, sim.ps().rowCount())}.
 */
public final class Check {
    private Check() {}

    /** The outcome of one check: passed or not, and the sentence to show. */
    public record Result(boolean passed, String message) {
        /** One line of HTML: a green tick or an orange cross, then the sentence. */
        public String toHtml() {
            String colour = passed ? "#1b7f3b" : "#b35900";
            return "<div style=\"font-family:sans-serif;color:" + colour + "\"><b>" + (passed ? "&#10004;" : "&#10008;")
                + "</b> " + Html.escape(message) + "</div>";
        }

        @Override public String toString() { return (passed ? "[right] " : "[not yet] ") + message; }
    }

    /**
     * A prediction against the truth: equal values (numbers compared by value, so an int guess
     * matches a long count) pass. Example: {@code Check.guess("COW copies", guess, 1)}.
     */
    public static Result guess(String what, Object guess, Object truth) {
        boolean same = sameValue(guess, truth);
        return new Result(same, same
            ? what + ": " + text(truth) + ", as you predicted."
            : what + ": the simulator says " + text(truth) + ", you predicted " + text(guess) + ".");
    }

    /** An exercise's answer: {@code ok} says whether it is right; {@code hint} is shown when it is not. */
    public static Result that(String what, boolean ok, String hint) {
        return new Result(ok, ok ? what + ": right." : what + ": not yet. " + hint);
    }

    /** An exercise's answer compared with the expected value; the hint is shown when they differ. */
    public static Result answer(String what, Object answer, Object expected, String hint) {
        boolean same = sameValue(answer, expected);
        return new Result(same, same ? what + ": " + text(answer) + " is right." : what + ": " + text(answer) + " is not right yet. " + hint);
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            boolean integral = !(x instanceof Double || x instanceof Float || y instanceof Double || y instanceof Float);
            return integral ? x.longValue() == y.longValue() : Math.abs(x.doubleValue() - y.doubleValue()) < 1e-9;
        }
        if (a instanceof Character c && b instanceof String s) return s.equals(String.valueOf(c));
        if (a instanceof String s && b instanceof Character c) return s.equals(String.valueOf(c));
        return Objects.equals(a, b);
    }

    private static String text(Object o) {
        return o instanceof String s ? "\"" + s + "\"" : String.valueOf(o);
    }
}
