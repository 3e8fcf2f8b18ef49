package tasklab.jupyter;

/** Entry point of the tasklab Jupyter kernel. */
public final class Main {
    private Main() {}
    public static void main(String[] args) { }
}
