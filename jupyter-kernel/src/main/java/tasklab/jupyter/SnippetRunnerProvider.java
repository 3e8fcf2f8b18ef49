package tasklab.jupyter;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell our in-process {@link SnippetRunner} instead of its remote JDI agent. */
final class SnippetRunnerProvider implements ExecutionControlProvider {
    private final SnippetRunner runner;

    SnippetRunnerProvider(SnippetRunner runner) {
        this.runner = runner;
    }

    @Override
    public String name() {
        return "tasklab";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return runner;
    }
}
