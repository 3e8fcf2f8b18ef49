package tasklab.jupyter;

import java.util.LinkedHashMap;
import java.util.Map;

/** A MIME bundle: every representation of one object (always with text/plain) and its metadata. */
public final class DisplayData {
    public final Map<String, Object> data = new LinkedHashMap<>();
    public final Map<String, Object> metadata = new LinkedHashMap<>();

    public DisplayData put(String mime, String value) {
        data.put(mime, value);
        return this;
    }

    public DisplayData size(String mime, int width, int height) {
        metadata.put(mime, Json.obj("width", width, "height", height));
        return this;
    }

    public static DisplayData text(String s) {
        return new DisplayData().put("text/plain", s);
    }

    @Override
    public String toString() {
        Object t = data.get("text/plain");
        return t == null ? data.keySet().toString() : t.toString();
    }
}
