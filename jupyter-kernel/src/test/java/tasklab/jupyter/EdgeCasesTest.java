package tasklab.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces behind issue 16 that need no JShell: limits, weaving, javadoc text, message cleaning. */
class EdgeCasesTest {
    @Test
    void jsonRefusesDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
        assertEquals(List.of(List.of()), Json.parse("[[]]"));
    }

    @Test
    void nonUtf8FrameMakesTheMessageMalformed() {
        Signer s = new Signer("k", "hmac-sha256");
        Message m = Message.create("s", "execute_request", null, List.of(), Json.obj("code", "1"));
        List<byte[]> frames = m.toFrames(s);
        byte[] bad = "{\"code\": \"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        frames.set(frames.size() - 1, bad);
        frames.set(1, s.sign(frames.get(2), frames.get(3), frames.get(4), bad).getBytes(StandardCharsets.US_ASCII));
        assertNull(Message.fromFrames(frames, s));
    }

    @Test
    void headerDateHasMicrosecondsAtMost() {
        String date = (String) Message.create("s", "status", null, List.of(), Json.obj()).header.get("date");
        assertTrue(date.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?Z"), date);
    }

    @Test
    void stringLimitFindsLongLiteralsAndJoinedOnes() {
        String big = "x".repeat(70_000);
        assertEquals(11, StringLimit.firstTooLong("String s = \"" + big + "\";"));
        String half = "y".repeat(40_000);
        assertTrue(StringLimit.firstTooLong("String s = \"" + half + "\" +\n \"" + half + "\";") >= 0);
        assertEquals(-1, StringLimit.firstTooLong("String a = \"" + half + "\"; String b = \"" + half + "\";"));
        assertEquals(-1, StringLimit.firstTooLong("// \" not a literal\nchar c = '\"'; String s = \"\\\"ok\";"));
    }

    @Test
    void weaverLeavesUnreadableClassFilesAlone() {
        byte[] junk = {1, 2, 3};
        assertEquals(junk, StopWeaver.weave(junk));
    }

    @Test
    void javadocTextResolvesTagsAndHtml() {
        String raw = " Returns the {@code int} closer to {@link Integer#MAX_VALUE}.\n <p>Second {@literal a<b}.\n"
                + " @param a an argument.\n @return the larger of {@code a} and {@code b}.\n";
        String text = JavadocText.render(raw);
        assertTrue(text.startsWith("Returns the int closer to Integer.MAX_VALUE."), text);
        assertTrue(text.contains("\n\nSecond a<b."), text);
        assertTrue(text.contains("Parameters:\n  a - an argument."), text);
        assertTrue(text.contains("Returns: the larger of a and b."), text);
        assertFalse(text.contains("{@"), text);
    }

    @Test
    void messagesLoseJShellNames() {
        assertEquals("Cannot invoke \"Object.toString()\" because \"o\" is null",
                Imports.clean("Cannot invoke \"Object.toString()\" because \"REPL.$JShell$13.o\" is null"));
        assertEquals("cannot find symbol\n  symbol:   class Pattern",
                Imports.clean("cannot find symbol\n  symbol:   class Pattern\n  location: class "));
        assertEquals(List.of("Pattern"), Imports.missingTypes("cannot find symbol\n  symbol:   class Pattern"));
    }
}
