package tasklab.jupyter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures of protocol frames, keyed with the connection file's key. */
public final class Signer {
    private final SecretKeySpec key;

    public Signer(String key, String scheme) {
        if (!key.isEmpty() && !"hmac-sha256".equals(scheme)) {
            throw new IllegalArgumentException("unsupported signature scheme " + scheme);
        }
        // An empty key means "signing disabled" in the Jupyter spec.
        this.key = key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** Hex signature over header, parent header, metadata and content, in that order. */
    public String sign(byte[]... parts) {
        if (key == null) return "";
        try {
            Mac mac = hmac();
            mac.init(key);
            for (byte[] p : parts) mac.update(p);
            byte[] d = mac.doFinal();
            StringBuilder b = new StringBuilder(d.length * 2);
            for (byte x : d) b.append(Character.forDigit((x >> 4) & 15, 16)).append(Character.forDigit(x & 15, 16));
            return b.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HMAC-SHA256 from SunJCE by name: asking without a provider first loads every provider listed
     * before SunJCE (SUN, SunRsaSign, SunEC - found by a service scan of all the class path's jars -
     * SunJSSE), ~15 ms of the main thread before the first message. Any provider that has it otherwise.
     */
    private static Mac hmac() throws GeneralSecurityException {
        try {
            return Mac.getInstance("HmacSHA256", "SunJCE");
        } catch (GeneralSecurityException e) {
            return Mac.getInstance("HmacSHA256");
        }
    }

    /** Constant-time check of a received signature. */
    public boolean verify(String signature, byte[]... parts) {
        if (key == null) return true;
        return MessageDigest.isEqual(sign(parts).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
    }
}
