package tasklab.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wire format, HMAC signing, JSON and connection files. */
class ProtocolTest {
    private final Signer signer = new Signer("secret", "hmac-sha256");

    @Test
    void hmacMatchesKnownVector() {
        // the value Python's jupyter_client computes: hmac.new(b"secret", b"{}{}{}{}", sha256).hexdigest()
        assertEquals("34982f0bfec60e7b933ffde06c1ecab0fba073717a95ab943d1dd06f82c2d5e4", signer.sign(bytes("{}"), bytes("{}"), bytes("{}"), bytes("{}")));
        assertTrue(signer.verify(signer.sign(bytes("a"), bytes("b")), bytes("a"), bytes("b")));
        assertFalse(signer.verify(signer.sign(bytes("a"), bytes("b")), bytes("a"), bytes("c")));
    }

    @Test
    void roundTripThroughFrames() {
        Message m = Message.create("s1", "execute_request", null, List.of(bytes("peer")), Json.obj("code", "1+1"));
        Message back = Message.fromFrames(m.toFrames(signer), signer);
        assertNotNull(back);
        assertEquals("execute_request", back.type());
        assertEquals("1+1", back.str("code", null));
        assertEquals("peer", new String(back.identities.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void wronglySignedOrTamperedMessagesAreDropped() {
        Message m = Message.create("s1", "execute_request", null, List.of(), Json.obj("code", "1+1"));
        assertNull(Message.fromFrames(m.toFrames(new Signer("other", "hmac-sha256")), signer));
        List<byte[]> frames = new ArrayList<>(m.toFrames(signer));
        frames.set(frames.size() - 1, bytes("{\"code\":\"evil()\"}"));
        assertNull(Message.fromFrames(frames, signer));
        assertNull(Message.fromFrames(List.of(bytes("garbage")), signer));
    }

    @Test
    void jsonRoundTrip() {
        String text = "{\"a\":[1,2.5,true,null,\"x\\n\\\"y\\u00e9\"],\"b\":{}}";
        Map<String, Object> m = Json.parseObject(text);
        assertEquals(java.util.Arrays.asList(1, 2.5, true, null, "x\n\"yé"),
                new ArrayList<>((List<?>) m.get("a")));
        assertEquals(m, Json.parseObject(Json.write(m)));
        assertEquals("\"\\u0001\"", Json.write("\u0001"));
    }

    @Test
    void connectionFileGivesExactEndpoints() {
        ConnectionInfo c = ConnectionInfo.parse("{\"shell_port\":1,\"iopub_port\":2,\"stdin_port\":3,\"control_port\":4,"
                + "\"hb_port\":5,\"ip\":\"127.0.0.1\",\"key\":\"k\",\"transport\":\"tcp\",\"signature_scheme\":\"hmac-sha256\"}");
        assertEquals("tcp://127.0.0.1:1", c.endpoint(c.shellPort));
        assertEquals("k", c.key);
    }

    @Test
    void kernelInfoHasWhatClientsCheck() {
        Map<String, Object> info = Kernel.kernelInfo();
        assertEquals("ok", info.get("status"));
        assertEquals("5.3", info.get("protocol_version"));
        assertEquals("java", ((Map<?, ?>) info.get("language_info")).get("name"));
        assertFalse(((List<?>) info.get("help_links")).isEmpty());
    }

    @Test
    void historySearchIsGlobNewestLast() {
        History h = new History();
        h.add(1, "6*7");
        h.add(2, "int x = 1;");
        h.add(3, "6*7");
        assertEquals(2, h.search("6*", 0, false, false).size());
        assertEquals(1, h.search("6*", 0, true, false).size());
        assertEquals(List.of(History.SESSION, 2, "int x = 1;"), h.range(0, 2, 3, false).get(0));
        assertEquals(List.of(History.SESSION, 3, "6*7"), h.tail(1, false).get(0));
    }

    @Test
    void utf8IsNotCutInsideACharacter() {
        byte[] b = "aé".getBytes(StandardCharsets.UTF_8);
        assertEquals(1, StreamCapture.completeUtf8Length(java.util.Arrays.copyOf(b, 2)));
        assertEquals(3, StreamCapture.completeUtf8Length(b));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
