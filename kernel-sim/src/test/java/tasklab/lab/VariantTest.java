package tasklab.lab;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** Per-student homework variants (issue 13): stable, independent named draws from a student id. */
class VariantTest {
    @Test
    void seedIsSha256OfTheIdAsComputedOutsideJava() {
        // Python: int.from_bytes(hashlib.sha256(b"alice\0seed\0" b"0").digest()[:8], "big")
        assertEquals(0x6d2c05555a4277efL, Variant.of("alice").seed());
        assertArrayEquals(new int[] {9, 3, 5, 7, 3}, Variant.of("alice").sequence("writes", 5, 3, 9));
        assertEquals(2, Variant.of("bob").between("children", 1, 4));
    }

    @Test
    void sameIdSameNumbersAndNamedDrawsAreIndependent() {
        Variant a = Variant.of("s1234");
        assertArrayEquals(a.sequence("pages", 20, 0, 99), Variant.of(" s1234 ").sequence("pages", 20, 0, 99));
        int before = a.between("cpus", 1, 4);
        a.sequence("other", 1000, 0, 5);                       // drawing other names changes nothing
        assertEquals(before, a.between("cpus", 1, 4));
    }

    @Test
    void studentsGetDifferentVariantsAndEveryValueInRangeOccurs() {
        Set<List<Integer>> seen = new HashSet<>();
        int[] counts = new int[4];
        for (int s = 0; s < 200; s++) {
            Variant v = Variant.of("student" + s);
            int[] seq = v.sequence("w", 6, 0, 3);
            seen.add(IntStream.of(seq).boxed().toList());
            for (int x : seq) counts[x]++;
        }
        assertTrue(seen.size() > 190, "200 students should almost never share a 6-draw sequence: " + seen.size());
        for (int c : counts) assertTrue(c > 200, "each of 0..3 about 300 times of 1200, got " + c);
    }

    @Test
    void pickShuffleAndCoinStayWithinTheirInputs() {
        Variant v = Variant.of("carol");
        assertTrue(List.of("2.4", "2.6").contains(v.pick("version", "2.4", "2.6")));
        List<Integer> items = List.of(1, 2, 3, 4, 5, 6);
        List<Integer> sh = v.shuffle("order", items);
        assertEquals(Set.copyOf(items), Set.copyOf(sh));
        assertEquals(sh, v.shuffle("order", items));
        assertEquals(v.random("sim").nextLong(), Variant.of("carol").random("sim").nextLong());
        assertEquals(v.coin("lazy"), Variant.of("carol").coin("lazy"));
    }

    @Test
    void badInputGetsASentence() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Variant.of("  ")).getMessage().contains("student id"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Variant.of("a").between("x", 3, 1)).getMessage().contains("lo <= hi"));
        assertThrows(IllegalArgumentException.class, () -> Variant.of("a").sequence("x", -1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Variant.of("a").pick("x"));
        assertThrows(NullPointerException.class, () -> Variant.of(null));
    }

    @Test
    void forStudentUsesTheTypedIdWhenTheGraderSetNone() {
        String env = System.getenv(Variant.STUDENT_ENV);
        Variant v = Variant.forStudent("dave");
        assertEquals(env == null || env.isBlank() ? "dave" : env.strip(), v.id());
    }
}
