package tasklab.jupyter;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which renderer shows an object. Lookup order: renderers registered for a class (the most
 * specific class or interface first), then duck typing - a public no-argument {@code toSvg()}
 * gives image/svg+xml and {@code toHtml()} gives text/html, so kernel-sim's views need no
 * Jupyter classes - then plain {@code toString()}. Built-in renderers are keyed by class name and
 * loaded on first use, so Tablesaw and XChart classes cost nothing until a Table or chart shows.
 */
public final class Renderers {
    private static final Map<String, Renderer<Object>> BY_NAME = new ConcurrentHashMap<>();
    private static final List<Map.Entry<Class<?>, Renderer<Object>>> BY_CLASS = new CopyOnWriteArrayList<>();

    static {
        BY_NAME.put("tech.tablesaw.api.Table", lazy("tasklab.jupyter.TableRenderer"));
        BY_NAME.put("org.knowm.xchart.internal.chartpart.Chart", lazy("tasklab.jupyter.ChartRenderer"));
        BY_NAME.put("java.awt.image.RenderedImage", lazy("tasklab.jupyter.ImageRenderer"));
    }

    private Renderers() {}

    /** Registers a renderer for a type (and its subtypes); later registrations win. */
    @SuppressWarnings("unchecked")
    public static <T> void register(Class<T> type, Renderer<? super T> renderer) {
        BY_CLASS.add(0, Map.entry(type, (Renderer<Object>) renderer));
    }

    /** Renders with every representation the renderer offers (or only the wanted ones, plus text/plain). */
    public static DisplayData render(Object o, String... wanted) {
        Set<String> want = new LinkedHashSet<>(List.of(wanted));
        DisplayData d;
        try {
            d = pick(o).render(o, want);
        } catch (Exception e) {
            d = DisplayData.text(String.valueOf(o) + "\n(rendering failed: " + e + ")");
        }
        DisplayData out = d;
        if (o instanceof CharSequence) {
            // display("<b>x</b>", "text/html"): the text is the source of each named type
            for (String mime : want) if (!out.data.containsKey(mime)) out.data.put(mime, o.toString());
        }
        if (!want.isEmpty()) {
            out.data.keySet().removeIf(k -> !want.contains(k) && !k.equals("text/plain"));
            out.metadata.keySet().removeIf(k -> !out.data.containsKey(k));
        }
        if (!out.data.containsKey("text/plain")) out.data.put("text/plain", String.valueOf(o));
        return out;
    }

    static Renderer<Object> pick(Object o) {
        if (o == null) return (v, w) -> DisplayData.text("null");
        if (o instanceof DisplayData) return (v, w) -> (DisplayData) v;
        for (Map.Entry<Class<?>, Renderer<Object>> e : BY_CLASS) {
            if (e.getKey().isInstance(o)) return e.getValue();
        }
        for (Class<?> c : supertypes(o.getClass())) {
            Renderer<Object> r = BY_NAME.get(c.getName());
            if (r != null) return r;
        }
        Method svg = noArg(o, "toSvg");
        Method html = noArg(o, "toHtml");
        if (svg != null || html != null) {
            return (v, w) -> {
                DisplayData d = DisplayData.text(String.valueOf(v));
                if (svg != null && (w.isEmpty() || w.contains("image/svg+xml"))) d.put("image/svg+xml", String.valueOf(svg.invoke(v)));
                if (html != null && (w.isEmpty() || w.contains("text/html"))) d.put("text/html", String.valueOf(html.invoke(v)));
                return d;
            };
        }
        return (v, w) -> DisplayData.text(String.valueOf(v));
    }

    private static Method noArg(Object o, String name) {
        try {
            Method m = o.getClass().getMethod(name);
            if (m.getReturnType() == void.class) return null;
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The class, then its superclasses, then all interfaces (breadth first). */
    static List<Class<?>> supertypes(Class<?> c) {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) out.add(k);
        for (int i = 0; i < out.size(); i++) {
            for (Class<?> itf : out.get(i).getInterfaces()) if (!out.contains(itf)) out.add(itf);
        }
        return out;
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @SuppressWarnings("unchecked")
    private static Renderer<Object> lazy(String className) {
        return (v, w) -> {
            Renderer<Object> r = (Renderer<Object>) Class.forName(className).getDeclaredConstructor().newInstance();
            return r.render(v, w);
        };
    }
}
