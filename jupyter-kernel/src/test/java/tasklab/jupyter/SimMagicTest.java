package tasklab.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** %sim shows the latest simulation and what changed since the last %sim; %doc shows the lab's javadoc. */
class SimMagicTest {
    static Evaluator e;
    static Magics magics;

    @BeforeAll
    static void start() throws Exception {
        e = Kernel.startEvaluator().get();
        magics = new Magics(e);
    }

    @AfterAll
    static void stop() {
        e.close();
    }

    static DisplayData sim(String before) throws Exception {
        Object v = magics.run(before + "\n%sim");
        return assertInstanceOf(DisplayData.class, v);
    }

    @Test
    void simShowsPsVmstatAndWhatChangedSinceTheLastSim() throws Exception {
        DisplayData first = sim("var sim = Sim.linux26().boot();");
        String html = (String) first.data.get("text/html");
        String text = (String) first.data.get("text/plain");
        assertTrue(text.startsWith("Sim[Linux 2.6.22"), text);
        assertTrue(html.contains("<caption>ps: Linux 2.6.22"), html);
        assertTrue(html.contains("<td>[kthreadd]</td>"), "ps lists the kernel threads");
        assertTrue(html.contains("<caption>vmstat"), "vmstat is shown");
        assertFalse(html.contains("changes since"), "nothing to compare with yet");

        DisplayData second = sim("var p = sim.process(\"demo\");\np.write(p.heap(), 'P');");
        String h2 = (String) second.data.get("text/html");
        assertTrue(h2.contains("<caption>changes since %sim #"), h2);
        assertTrue(h2.contains("<td>task</td>") && h2.contains("demo"), "the new process is a change");
        assertTrue(h2.contains("<td>pte</td>"), "the written heap page is a change");

        DisplayData third = sim("");
        assertTrue(((String) third.data.get("text/plain")).contains("Nothing changed since %sim #"), (String) third.data.get("text/plain"));

        DisplayData other = sim("var sim2 = Sim.boot();");
        assertTrue(((String) other.data.get("text/plain")).startsWith("Sim[Linux 2.4.22"), "the most recently booted simulation");
    }

    @Test
    void docShowsLabJavadocByClassMethodOrVariable() throws Exception {
        String byName = ((Page) magics.run("%doc Sim.cow")).text;
        assertTrue(byName.startsWith("Sharing Sim.cow(Proc... tasks)"), byName);
        assertTrue(byName.contains("copy-on-write"), byName);
        magics.run("var s = Sim.boot();");
        assertEquals(byName, ((Page) magics.run("%doc s.cow")).text, "a variable's method resolves through JShell");
        String cls = ((Page) magics.run("%doc Proc")).text;
        assertTrue(cls.contains("class tasklab.lab.Proc") && cls.contains("Proc.fork()"), cls);
        String overview = ((Page) magics.run("%doc")).text;
        assertTrue(overview.contains("Timeline") && overview.contains("KernelStack"), overview);
        String jdk = ((Page) magics.run("%doc Math.max")).text;
        assertTrue(jdk.contains("max("), "non-lab names still go to JShell: " + jdk);
    }
}
