package tasklab.jupyter;

import java.util.Set;

/** Turns one kind of object into a MIME bundle; {@code wanted} is empty unless the caller asked for types. */
@FunctionalInterface
public interface Renderer<T> {
    DisplayData render(T value, Set<String> wanted) throws Exception;
}
