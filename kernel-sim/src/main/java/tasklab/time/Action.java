package tasklab.time;

/** What an event does when the engine reaches it; runs on the engine's thread with {@code now()} at its cycle. */
@FunctionalInterface
public interface Action {

    /** Performs the event; may schedule or cancel other events and request a stop. */
    void run(Engine engine);
}
