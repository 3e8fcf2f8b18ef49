package tasklab.lab;

import java.util.Map;

/**
 * One run of a {@link Sweep}: a function from a parameter row to result columns. A run must be
 * self-contained and deterministic (boot its own {@link Sim}, read only its {@link Params}), so
 * runs can go in parallel and give the same Table as run one by one.
 * Example: {@code Experiment e = p -> Result.of("forks", Sim.boot().kernel().totalForks());}
 */
@FunctionalInterface
public interface Experiment {
    /** Runs once with these parameters and returns the result columns (name to value, in order). */
    Map<String, ?> run(Params p);
}
