package tasklab.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClockRateTest {

    @ParameterizedTest(name = "{0} MHz at HZ=100 -> {1} cycles per tick")
    @CsvSource({
        "33, 330000",
        "66, 660000",
        "100, 1000000",
        "200, 2000000",
        "450, 4500000",
        "2000, 20000000",
    })
    void tickPeriodAtHz100(int mhz, long expected) {
        ClockRate r = ClockRate.ofMhz(mhz);
        assertEquals(100, r.hz());
        assertEquals(expected, r.tickPeriodCycles());
        assertEquals(10_000_000.0, r.cyclesToNanos(r.tickPeriodCycles()), 1e-6, "a tick is 10 ms");
        assertEquals(expected * 100, r.ticksToCycles(100), "100 ticks are one second");
    }

    @Test
    void tickPeriodAtOtherHzRoundsToNearestLikeLatch() {
        assertEquals(200_000, new ClockRate(200, 1000).tickPeriodCycles());
        assertEquals(800_000, new ClockRate(200, 250).tickPeriodCycles());
        // 33 MHz at HZ=7: 33e6/7 = 4714285.71 -> 4714286
        assertEquals(4_714_286, new ClockRate(33, 7).tickPeriodCycles());
        // 66 MHz at HZ=9: 66e6/9 = 7333333.33 -> 7333333
        assertEquals(7_333_333, new ClockRate(66, 9).tickPeriodCycles());
    }

    @Test
    void cyclesAndTimeConvert() {
        ClockRate r = ClockRate.ofMhz(450);
        assertEquals(1000.0, r.cyclesToNanos(450), 1e-9);
        assertEquals(2.0, r.cyclesToMicros(900), 1e-12);
        assertEquals(450, r.microsToCycles(1));
        assertEquals(450, r.nanosToCycles(1000));
        assertEquals(1, r.nanosToCycles(2), "0.9 cycles rounds to 1");
        assertEquals(0, r.nanosToCycles(1), "0.45 cycles rounds to 0");
        ClockRate slow = ClockRate.ofMhz(33);
        assertEquals(30.303, slow.cyclesToNanos(1), 1e-3);
        assertEquals(33, slow.nanosToCycles(1000));
        assertEquals(2_000_000_000L, ClockRate.ofMhz(2000).cyclesPerSecond());
    }

    @Test
    void rejectsBadValues() {
        assertThrows(IllegalArgumentException.class, () -> new ClockRate(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new ClockRate(100, 0));
        assertThrows(IllegalArgumentException.class, () -> ClockRate.ofMhz(100).nanosToCycles(-1));
        assertThrows(ArithmeticException.class, () -> ClockRate.ofMhz(2000).nanosToCycles(Long.MAX_VALUE / 100));
    }
}
