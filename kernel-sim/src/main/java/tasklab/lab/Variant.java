package tasklab.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * One student's variant of a homework problem, in the manner of OSTEP's homework simulators
 * ({@code -s seed}, then {@code -c} to compute the answers): every number the problem needs is a
 * pure function of the student's id and the number's name, so one notebook serves the whole class,
 * no two students share the same figures, and the grader and the teacher recompute any student's
 * problem exactly.
 *
 * <p>Each draw is SHA-256 over {@code id}, the draw's name and an index, so draws are independent:
 * adding a new named draw to a notebook does not change the numbers of the others, and the values
 * are the same on every JDK (no {@code String.hashCode}, no shared random stream).
 *
 * <pre>{@code
 * var me = Variant.forStudent("alice");            // the grader's TASKLAB_STUDENT wins, see below
 * int children = me.between("children", 1, 4);
 * int[] writes = me.sequence("writes", 5, 0, 3);  // five numbers from 0 to 3
 * }</pre>
 */
public final class Variant {
    /** The environment variable the homework grader sets to the student whose notebook it runs. */
    public static final String STUDENT_ENV = "TASKLAB_STUDENT";

    private static final int MAX_SEQUENCE = 1_000_000;

    private final String id;

    private Variant(String id) {
        this.id = id;
    }

    /** The variant of the student with this id (the teacher's view: no environment involved). */
    public static Variant of(String studentId) {
        Objects.requireNonNull(studentId, "a student id is needed, e.g. Variant.of(\"alice\")");
        String id = studentId.strip();
        if (id.isEmpty()) throw new IllegalArgumentException("a student id is needed, got an empty string");
        return new Variant(id);
    }

    /**
     * The variant a notebook works on: the student id the grader put in {@code TASKLAB_STUDENT}
     * when that is set, otherwise {@code typedId} (what the student wrote in the notebook). So a
     * student works on their own numbers at home, and at grading time nobody's notebook can borrow
     * another student's variant.
     */
    public static Variant forStudent(String typedId) {
        String env = System.getenv(STUDENT_ENV);
        if (env != null && !env.isBlank()) return of(env);
        if (typedId == null || typedId.isBlank())
            throw new IllegalArgumentException("type your student id (as the course gave it) in Variant.forStudent(\"...\")");
        return of(typedId);
    }

    /** The student id this variant belongs to. */
    public String id() {
        return id;
    }

    /** The variant's seed (the first 8 bytes of SHA-256 of the id), for printing as OSTEP's {@code -s}. */
    public long seed() {
        return digest("seed", 0);
    }

    /** A whole number from {@code lo} to {@code hi}, both included, named {@code name}. */
    public int between(String name, int lo, int hi) {
        return between(name, 0, lo, hi);
    }

    /** {@code n} whole numbers from {@code lo} to {@code hi} (both included), named {@code name}. */
    public int[] sequence(String name, int n, int lo, int hi) {
        if (n < 0 || n > MAX_SEQUENCE)
            throw new IllegalArgumentException("a sequence has 0 to " + MAX_SEQUENCE + " numbers, got " + n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = between(name, i, lo, hi);
        return out;
    }

    /** One of {@code choices}, named {@code name}. */
    @SafeVarargs
    public final <T> T pick(String name, T... choices) {
        if (choices == null || choices.length == 0) throw new IllegalArgumentException("pick needs at least one choice");
        return choices[between(name, 0, choices.length - 1)];
    }

    /** One element of {@code choices}, named {@code name}. */
    public <T> T pick(String name, List<T> choices) {
        if (choices == null || choices.isEmpty()) throw new IllegalArgumentException("pick needs at least one choice");
        return choices.get(between(name, 0, choices.size() - 1));
    }

    /** True or false, half and half, named {@code name}. */
    public boolean coin(String name) {
        return between(name, 0, 1) == 1;
    }

    /** A new list with {@code items} in this variant's order for {@code name} (Fisher-Yates on the named draws). */
    public <T> List<T> shuffle(String name, List<T> items) {
        List<T> out = new ArrayList<>(Objects.requireNonNull(items, "shuffle needs a list"));
        for (int i = out.size() - 1; i > 0; i--) Collections.swap(out, i, between(name, i, 0, i));
        return out;
    }

    /**
     * A {@link Random} seeded for {@code name}, for code that wants a stream of numbers (a simulator
     * seed, say). {@code Random}'s algorithm is fixed by its specification, so it too gives the same
     * numbers on every JDK.
     */
    public Random random(String name) {
        return new Random(digest(name, 0));
    }

    /** A seed for {@code name}, e.g. for {@code KernelConfig.withSeed}. */
    public long seed(String name) {
        return digest(name, 0);
    }

    @Override
    public String toString() {
        return "variant of " + id + " (seed " + Long.toUnsignedString(seed(), 16) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Variant v && v.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    private int between(String name, int index, int lo, int hi) {
        if (lo > hi) throw new IllegalArgumentException("between needs lo <= hi, got lo=" + lo + " hi=" + hi);
        long span = (long) hi - lo + 1;
        return (int) (lo + Long.remainderUnsigned(digest(name, index), span));
    }

    /** First 8 bytes of SHA-256(id NUL name NUL index), big-endian. */
    private long digest(String name, int index) {
        Objects.requireNonNull(name, "every draw needs a name, e.g. \"children\"");
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
        byte[] h = sha.digest((id + '\0' + name + '\0' + index).getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
        return v;
    }
}
