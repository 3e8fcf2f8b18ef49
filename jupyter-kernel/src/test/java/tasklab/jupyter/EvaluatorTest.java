package tasklab.jupyter;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JShell side: values as objects, errors, completion, inspection, interrupt. */
class EvaluatorTest {
    static Evaluator e;

    @BeforeAll
    static void start() throws Exception {
        e = Kernel.startEvaluator().get();
    }

    @AfterAll
    static void stop() {
        e.close();
    }

    @Test
    void lastExpressionIsTheRealObject() throws Exception {
        Object t = e.eval("int n = 2;\nTable.create(\"t\", IntColumn.create(\"a\", 1, n))");
        assertEquals("tech.tablesaw.api.Table", t.getClass().getName());
        assertSame(Evaluator.NO_VALUE, e.eval("int m = 3;"));
        assertEquals(42, e.eval("6*7"));
    }

    @Test
    void oneLineCellsSkipJShellsAnalysisAndBehaveTheSame() throws Exception {
        assertTrue(Evaluator.oneSnippet("int w1 = 4"));
        assertTrue(Evaluator.oneSnippet(" Math.max(w1, 2)\n"));
        assertTrue(!Evaluator.oneSnippet("w1++") && !Evaluator.oneSnippet("int w2 =") && !Evaluator.oneSnippet("int a = 1; a")
                && !Evaluator.oneSnippet("String s = \"x\"") && !Evaluator.oneSnippet("1 // c") && !Evaluator.oneSnippet("a\nb"));
        // a statement that needs a body is unfinished, not a one-liner lacking its `;` (`while (w1 > 0);` would never end)
        for (String unfinished : List.of("while (w1 > 0)", "if (w1 > 0)", "for (var x : List.of(1))", "class A", "public int f()")) {
            assertTrue(!Evaluator.oneSnippet(unfinished), unfinished);
        }
        assertTrue(Evaluator.oneSnippet("finalCount(3)") && Evaluator.oneSnippet("iffy") && Evaluator.oneSnippet("double d = 2"));
        assertSame(Evaluator.NO_VALUE, e.eval("int w1 = 4"));
        assertEquals(5, e.eval(" w1 + 1\n"));
        assertSame(Evaluator.NO_VALUE, e.eval("import java.util.regex.Pattern"));
        assertEquals("a+", e.eval("Pattern.compile(\"a+\").pattern()"));
        CellError err = assertThrows(CellError.class, () -> e.eval("int w3 = nope1"));
        assertTrue(err.evalue.contains("cannot find symbol"), err.evalue);
        assertEquals(4, e.eval("w1"));
        e.eval("int w0 = 0");
        // with a `;` added this would run as an empty loop and say nothing
        CellError open = assertThrows(CellError.class, () -> e.eval("while (w0 > 0)"), "an unfinished loop is an error");
        assertTrue(open.evalue.contains("end of file"), open.evalue);   // javac: reached end of file while parsing
    }

    @Test
    void preloadedImportsIncludeExistingTasklabPackages() throws Exception {
        assertEquals(1, e.eval("Pte.PRESENT"));
        assertTrue(Startup.imports().contains("import tasklab.machine.*;"));
        assertTrue(Startup.imports().stream().noneMatch(s -> s.contains("tasklab.nonexistent")));
    }

    @Test
    void runtimeErrorHasCleanTraceback() {
        CellError err = assertThrows(CellError.class, () -> e.eval("int boom() { return 1 / 0; }\nboom()"));
        assertEquals("java.lang.ArithmeticException", err.ename);
        String tb = String.join("\n", err.traceback);
        assertTrue(tb.contains("at boom"), tb);
        assertTrue(!tb.contains("jdk.jshell") && !tb.contains("tasklab.jupyter") && !tb.contains("reflect"), tb);
    }

    @Test
    void compileErrorNamesTheLine() {
        CellError err = assertThrows(CellError.class, () -> e.eval("int a = 1;\nString s = 1;"));
        assertEquals("CompilationException", err.ename);
        assertTrue(err.traceback.get(0).startsWith("cell line 2"), err.traceback.toString());
        assertThrows(CellError.class, () -> e.eval("NoSuchType x;"));
    }

    @Test
    void completionWithCursorPositions() {
        Evaluator.Completion c = e.complete("int q = 1;\nMath.ma", 18);
        assertEquals(java.util.List.of("max("), c.matches);
        assertEquals(16, c.cursorStart);
        assertEquals(18, c.cursorEnd);
    }

    @Test
    void inspectFindsMethodAtEndOfName() {
        String doc = e.inspect("Math.max", 8);
        assertNotNull(doc);
        assertTrue(doc.contains("max(int a, int b)"), doc);
        assertNotNull(e.inspect("Pte", 3));
    }

    @Test
    void isComplete() {
        assertEquals("complete", e.isComplete("int x = 1;"));
        assertEquals("incomplete", e.isComplete("void f() {"));
        assertEquals("invalid", e.isComplete("int x = @;"));
    }

    @Test
    void interruptStopsBusyLoopAndKeepsState() throws Exception {
        e.eval("int kept = 7;");
        CompletableFuture<CellError> f = CompletableFuture.supplyAsync(() -> {
            try {
                e.eval("while (true) {}");
                return null;
            } catch (CellError x) {
                return x;
            }
        });
        Thread.sleep(500);
        long wait = System.nanoTime();
        while (!e.interrupt() && System.nanoTime() - wait < 60_000_000_000L) Thread.sleep(10); // JShell may still compile
        // stopping is what this checks; the 1 s bound is the client tests' (test_interrupts.py)
        CellError err = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(err);
        assertEquals("InterruptedException", err.ename);
        assertEquals(8, e.eval("kept + 1"));
    }
}
