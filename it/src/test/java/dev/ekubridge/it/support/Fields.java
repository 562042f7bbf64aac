package dev.ekubridge.it.support;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code key=value} words of one of the applications' output lines; the first word(s) before them are the kind. */
public final class Fields {
    private final String line;
    private final Map<String, String> values = new LinkedHashMap<>();

    public Fields(String line) {
        this.line = line;
        for (String word : line.split(" ")) {
            int eq = word.indexOf('=');
            if (eq > 0 && !values.containsKey(word.substring(0, eq))) {
                values.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
    }

    public String get(String key) {
        return values.get(key);
    }

    public String line() {
        return line;
    }

    @Override
    public String toString() {
        return line;
    }
}
