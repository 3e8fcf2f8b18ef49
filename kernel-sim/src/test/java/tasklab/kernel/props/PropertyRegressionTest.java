package tasklab.kernel.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tasklab.kernel.Kernel;
import tasklab.kernel.KernelConfig;
import tasklab.kernel.KernelVersion;
import tasklab.kernel.Signals;

/** Shrunk sequences the properties found, each named after the rule it broke, replayed as plain tests. */
class PropertyRegressionTest {

    /**
     * R3.6 init cannot exit: a bad user access by init (shrunk: [Access(0, read, null page)]) used
     * to kill init through do_exit and panic "Attempted to kill init!". Init gets no signals it
     * does not want (2.4 do_signal "if (current->pid == 1) continue", 2.6 get_signal_to_deliver).
     */
    @ParameterizedTest
    @EnumSource(KernelVersion.class)
    void R3_6_initSurvivesItsOwnBadAccess(KernelVersion v) {
        Replay.run(v, 1, 64L << 20, new Op.Access(0, false, 0, 0, 0));
        Kernel k = Kernel.boot(KernelConfig.of(v));
        k.setCheckInvariants(true);
        assertEquals(-Signals.SIGSEGV, k.readByte(1, 0x0));
        assertEquals(-Signals.SIGSEGV, k.writeByte(1, 0xC0001000L, 1));
        assertFalse(k.task(1).hasExited(), "init is still alive");
        k.checkInvariants("after");
    }
}
