package tasklab.jupyter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One Jupyter protocol message and its wire form (identities, delimiter, signature, 4 JSON frames). */
public final class Message {
    static final String DELIMITER = "<IDS|MSG>";
    public static final String PROTOCOL_VERSION = "5.3";

    public final List<byte[]> identities;
    public final Map<String, Object> header;
    public final Map<String, Object> parentHeader;
    public final Map<String, Object> metadata;
    public final Map<String, Object> content;
    public final List<byte[]> buffers;

    public Message(List<byte[]> identities, Map<String, Object> header, Map<String, Object> parentHeader,
                   Map<String, Object> metadata, Map<String, Object> content, List<byte[]> buffers) {
        this.identities = identities;
        this.header = header;
        this.parentHeader = parentHeader;
        this.metadata = metadata;
        this.content = content;
        this.buffers = buffers;
    }

    public String type() {
        return String.valueOf(header.get("msg_type"));
    }

    public String id() {
        return String.valueOf(header.get("msg_id"));
    }

    /** A string field of the content, or the default. */
    public String str(String key, String dflt) {
        Object v = content.get(key);
        return v == null ? dflt : v.toString();
    }

    public int integer(String key, int dflt) {
        Object v = content.get(key);
        return v instanceof Number ? ((Number) v).intValue() : dflt;
    }

    public boolean bool(String key, boolean dflt) {
        Object v = content.get(key);
        return v instanceof Boolean ? (Boolean) v : dflt;
    }

    /** A new message of the given type, replying to (or caused by) this one. */
    public Message reply(String session, String msgType, Map<String, Object> content) {
        return create(session, msgType, header, identities, content);
    }

    static Message create(String session, String msgType, Map<String, Object> parent, List<byte[]> ids,
                          Map<String, Object> content) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("msg_id", newId());
        h.put("session", session);
        h.put("username", "tasklab");
        // ISO 8601 with at most 6 fractional digits: Jupyter clients reject nanoseconds
        h.put("date", Instant.now().truncatedTo(ChronoUnit.MICROS).toString());
        h.put("msg_type", msgType);
        h.put("version", PROTOCOL_VERSION);
        return new Message(ids, h, parent == null ? new LinkedHashMap<>() : parent, new LinkedHashMap<>(),
                content, List.of());
    }

    /**
     * A random (version 4) UUID for message and session ids. They need to be unique, not unguessable
     * (the HMAC key guards the messages), so not UUID.randomUUID: its SecureRandom cost ~10 ms of the
     * main thread before the kernel could answer kernel_info.
     */
    static String newId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(hi, lo).toString();
    }

    /** Encodes into ZeroMQ frames, signing with the given signer. */
    public List<byte[]> toFrames(Signer signer) {
        byte[] h = utf8(Json.write(header));
        byte[] p = utf8(Json.write(parentHeader));
        byte[] m = utf8(Json.write(metadata));
        byte[] c = utf8(Json.write(content));
        List<byte[]> frames = new ArrayList<>(identities);
        frames.add(utf8(DELIMITER));
        frames.add(utf8(signer.sign(h, p, m, c)));
        frames.add(h);
        frames.add(p);
        frames.add(m);
        frames.add(c);
        frames.addAll(buffers);
        return frames;
    }

    /**
     * Decodes frames; returns null when the signature does not match (such a message is dropped,
     * as the spec requires) or the frames are malformed.
     */
    public static Message fromFrames(List<byte[]> frames, Signer signer) {
        int d = -1;
        for (int k = 0; k < frames.size(); k++) {
            if (DELIMITER.equals(new String(frames.get(k), StandardCharsets.UTF_8))) { d = k; break; }
        }
        if (d < 0 || frames.size() < d + 6) return null;
        String sig = new String(frames.get(d + 1), StandardCharsets.US_ASCII);
        byte[] h = frames.get(d + 2), p = frames.get(d + 3), m = frames.get(d + 4), c = frames.get(d + 5);
        if (!signer.verify(sig, h, p, m, c)) return null;
        try {
            Map<String, Object> header = Json.parseObject(str(h));
            if (!(header.get("msg_type") instanceof String)) return null;
            return new Message(new ArrayList<>(frames.subList(0, d)), header, Json.parseObject(str(p)),
                    Json.parseObject(str(m)), Json.parseObject(str(c)), new ArrayList<>(frames.subList(d + 6, frames.size())));
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null; // malformed, too deep or not UTF-8: dropped
        }
    }

    /** Strict UTF-8: a frame that is not valid UTF-8 makes the message malformed (dropped). */
    private static String str(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
