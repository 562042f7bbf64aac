package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * A configuration file in {@code java.util.Properties} syntax, read as UTF-8 (strictly: malformed
 * UTF-8 is an error naming the line, never the bytes), with a leading byte order mark skipped, and
 * with the line each key is on, so that errors can name a position instead of echoing what may be a
 * secret. Each logical line is handed to {@link Properties#load(java.io.Reader)} on its own, so the
 * syntax (separators, escapes, continuation lines, comments) is exactly the JDK's.
 */
final class PropertiesFile {
    /** One {@code key=value} of the file, with the (1-based) line it starts on. */
    public static final class Entry {
        public final String key;
        public final String value;
        public final int line;

        public Entry(String key, String value, int line) {
            this.key = key;
            this.value = value;
            this.line = line;
        }
    }

    private PropertiesFile() {
    }

    /**
     * The entries of {@code content} in file order, duplicates included.
     *
     * @param where names the file in messages, e.g. {@code config file /etc/ekubridge.properties}
     */
    public static List<Entry> parse(String where, byte[] content) {
        char[] text = decode(where, content);
        try {
            return entries(where, text);
        } finally {
            Arrays.fill(text, '\0');
        }
    }

    private static char[] decode(String where, byte[] content) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            Arrays.fill(out.array(), '\0');
            throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, where + " line " + lineAt(content, in.position())
                + ": not valid UTF-8; save the file as UTF-8");
        }
        int start = out.position() > 0 && out.get(0) == '\uFEFF' ? 1 : 0;
        char[] text = Arrays.copyOfRange(out.array(), start, out.position());
        Arrays.fill(out.array(), '\0');
        return text;
    }

    private static int lineAt(byte[] content, int position) {
        int line = 1;
        for (int i = 0; i < position && i < content.length; i++) {
            if (content[i] == '\n' || (content[i] == '\r' && (i + 1 >= content.length || content[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    private static List<Entry> entries(String where, char[] text) {
        List<int[]> lines = physicalLines(text);
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            int[] first = lines.get(i);
            int firstLine = i + 1;
            int content = skipWhitespace(text, first[0], first[1]);
            if (content == first[1] || text[content] == '#' || text[content] == '!') {
                i++;
                continue;
            }
            StringBuilder logical = new StringBuilder().append(text, first[0], first[1] - first[0]);
            while (endsWithOddBackslashes(text, lines.get(i)) && i + 1 < lines.size()) {
                i++;
                int[] next = lines.get(i);
                logical.append('\n').append(text, next[0], next[1] - next[0]);
            }
            i++;
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(logical.toString()));
            } catch (IOException | IllegalArgumentException e) {
                throw new EkuBridgeException(Reason.UNKNOWN_FORMAT, where + " line " + firstLine
                    + ": not a key=value line (malformed \\uXXXX escape)");
            } finally {
                logical.setLength(0);
            }
            for (String key : properties.stringPropertyNames()) {
                entries.add(new Entry(key, properties.getProperty(key), firstLine));
            }
        }
        return entries;
    }

    /** Start and end offsets of each line; {@code \n}, {@code \r\n} and {@code \r} end a line, as for Properties. */
    private static List<int[]> physicalLines(char[] text) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length) {
            char c = text[i];
            if (c == '\n' || c == '\r') {
                lines.add(new int[] {start, i});
                i += c == '\r' && i + 1 < text.length && text[i + 1] == '\n' ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length) {
            lines.add(new int[] {start, text.length});
        }
        return lines;
    }

    private static int skipWhitespace(char[] text, int from, int end) {
        int i = from;
        while (i < end && (text[i] == ' ' || text[i] == '\t' || text[i] == '\f')) {
            i++;
        }
        return i;
    }

    private static boolean endsWithOddBackslashes(char[] text, int[] line) {
        int count = 0;
        for (int i = line[1] - 1; i >= line[0] && text[i] == '\\'; i--) {
            count++;
        }
        return count % 2 == 1;
    }
}
