package dev.ekubridge.agent.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line's {@code --json} output, without a JSON library in the agent jar: values are
 * {@link Map}s (objects, in insertion order), {@link Iterable}s (arrays), strings, numbers, booleans and
 * {@code null}. Strings are escaped so that the document is pure ASCII: quotes, backslashes, control
 * characters and everything outside ASCII become escapes, so a peer's certificate text can neither break
 * the document nor depend on the terminal's encoding.
 */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** The characters JSON escapes with a backslash and a letter (or themselves), and those letters, in the same order. */
    private static final String SHORT_ESCAPED = "\"\\\n\r\t\b\f";
    private static final String SHORT_ESCAPES = "\"\\nrtbf";

    private Json() {
    }

    /** A new, ordered JSON object. */
    static Map<String, Object> object() {
        return new LinkedHashMap<String, Object>();
    }

    /** A new JSON array. */
    static List<Object> array() {
        return new ArrayList<Object>();
    }

    static List<Object> array(Iterable<?> values) {
        List<Object> array = array();
        for (Object value : values) {
            array.add(value);
        }
        return array;
    }

    /** {@code value} as a JSON document, indented by two spaces, ending without a newline. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String || value instanceof Character || value instanceof Enum) {
            string(out, value.toString());
        } else if (value instanceof Boolean) {
            out.append(value.toString());
        } else if (value instanceof Number) {
            number(out, (Number) value);
        } else if (value instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "\n" : ",\n");
                first = false;
                indent(out, depth + 1);
                string(out, String.valueOf(entry.getKey()));
                out.append(": ");
                write(out, entry.getValue(), depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append('}');
        } else if (value instanceof Iterable) {
            List<Object> items = array((Iterable<?>) value);
            if (items.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n");
                indent(out, depth + 1);
                write(out, items.get(i), depth + 1);
            }
            out.append('\n');
            indent(out, depth);
            out.append(']');
        } else if (value instanceof Object[]) {
            List<Object> items = new ArrayList<Object>();
            Collections.addAll(items, (Object[]) value);
            write(out, items, depth);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void number(StringBuilder out, Number number) {
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                out.append("null");
                return;
            }
            out.append(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        } else {
            out.append(number.toString());
        }
    }

    private static void indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    /** A JSON string literal: {@code "}, {@code \}, control characters and non-ASCII escaped. */
    static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int shortForm = SHORT_ESCAPED.indexOf(c);
            if (shortForm >= 0) {
                out.append('\\').append(SHORT_ESCAPES.charAt(shortForm));
            } else if (c < 0x20 || c >= 0x7f) {
                out.append("\\u");
                for (int shift = 12; shift >= 0; shift -= 4) {
                    out.append(HEX[(c >> shift) & 0xf]);
                }
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
