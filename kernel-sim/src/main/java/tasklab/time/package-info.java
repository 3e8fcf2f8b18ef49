/**
 * The discrete-event engine the simulated kernel runs on: one event queue ordered by
 * (cycle, priority, sequence), per-CPU cycle clocks, HZ timer ticks and seeded randomness.
 *
 * <p>Determinism rules kept by every class here: no wall clock (no {@code System.nanoTime},
 * no {@code currentTimeMillis}), no iteration over hash-ordered collections, no
 * {@code Math} functions whose last bit may vary between JVMs ({@code StrictMath} instead),
 * and no JDK random generator whose algorithm could change between releases. The engine is
 * single-threaded; only {@link tasklab.time.Engine#requestStop()} may be called from another
 * thread. This package depends on no other tasklab package.
 */
package tasklab.time;
