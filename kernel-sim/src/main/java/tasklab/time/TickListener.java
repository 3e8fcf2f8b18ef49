package tasklab.time;

/** Receives the periodic timer interrupt of one CPU (Linux: the tick path into update_process_times()). */
@FunctionalInterface
public interface TickListener {

    /** CPU {@code cpu} takes its timer interrupt at global cycle {@code cycle} (= engine.now()). */
    void onTick(int cpu, long cycle);
}
