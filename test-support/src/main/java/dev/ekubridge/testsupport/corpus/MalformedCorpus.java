package dev.ekubridge.testsupport.corpus;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The malformed-input corpus ({@code malformed/index.txt} in test-support's resources, one file per case beside it):
 * read, and prepared in a directory with the valid PKI its cases refer to and the files that can only be made
 * at run time (FIFOs, symbolic links, sparse files). Shared by the provider's, the agent's and the command
 * line's tests, so that all three run the same cases.
 */
public final class MalformedCorpus {
    /** The distinctive password of the corpus; neither it nor a fragment of it may appear in any output. */
    public static final String SECRET = "S3cret-Zebra-Violet-42";
    /** The strings no output may contain: the password and its distinctive fragments. */
    public static final List<String> SECRETS = List.of(SECRET, "S3cret", "Zebra", "Violet");

    private static final String RESOURCES = "malformed/";

    /** One case, prepared: its configuration as agent arguments, and what its one error line must say. */
    public record Case(String name, String finding, String arguments, Map<String, String> environment, List<String> expected,
            List<String> expectedByAgent, String unavailable) {
        /** Whether the case could be prepared here; {@link #unavailable()} says why not. */
        public boolean available() {
            return unavailable == null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private MalformedCorpus() {
    }

    /** Reads the index and prepares every case in {@code dir}. */
    public static List<Case> prepare(Path dir) {
        try {
            return prepareOrFail(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the malformed-input corpus in " + dir, e);
        }
    }

    private static List<Case> prepareOrFail(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> header = new LinkedHashMap<>();
        parseIndex(resource("index.txt"), header, blocks);
        writePki(dir);
        for (String file : header.get("files").split(",")) {
            String name = file.trim();
            byte[] content = resource(name);
            if (name.endsWith(".properties")) {
                content = new String(content, StandardCharsets.ISO_8859_1).replace("${dir}", dir.toString())
                    .getBytes(StandardCharsets.ISO_8859_1);
            }
            Files.write(dir.resolve(name), content);
        }
        List<Case> cases = new ArrayList<>();
        for (Map<String, String> block : blocks) {
            String unavailable = null;
            String setup = block.get("setup");
            if (setup != null) {
                for (String step : setup.split(";")) {
                    String why = setUp(dir, substitute(step.trim(), dir));
                    unavailable = unavailable == null ? why : unavailable;
                }
            }
            Map<String, String> environment = new LinkedHashMap<>();
            if (block.containsKey("env")) {
                for (String pair : block.get("env").split(";")) {
                    String[] nameValue = pair.trim().split("=", 2);
                    environment.put(nameValue[0], nameValue[1]);
                }
            }
            cases.add(new Case(block.get("name"), block.getOrDefault("finding", ""), substitute(block.get("args"), dir), environment,
                fragments(block.get("expect"), dir), fragments(block.get("expect.agent"), dir), unavailable));
        }
        return cases;
    }

    private static List<String> fragments(String value, Path dir) {
        if (value == null) {
            return List.of();
        }
        List<String> fragments = new ArrayList<>();
        for (String fragment : value.split(Pattern.quote(" && "))) {
            fragments.add(substitute(fragment.trim(), dir));
        }
        return fragments;
    }

    /** The valid PKI the cases refer to: server.p12 (password {@link #SECRET}), server.pem + server.key, trust.p12. */
    private static void writePki(Path dir) {
        Ca root = TestPki.root("Malformed Corpus Root", KeyKind.EC_P256);
        Issued server = root.leaf("server.corpus.example").eku(LeafEku.BOTH).issue();
        TestPki.writePkcs12(dir.resolve("server.p12"), SECRET.toCharArray(), Map.of("server", server));
        Pem.writeChain(dir.resolve("server.pem"), server.chain());
        Pem.writePkcs8(dir.resolve("server.key"), server.privateKey());
        TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", SECRET.toCharArray(), root.certificate());
    }

    /** Makes one run-time file; returns why the case cannot run here, or {@code null}. */
    private static String setUp(Path dir, String step) throws IOException {
        String[] words = step.split(" ");
        Path target = dir.resolve(words[1]);
        switch (words[0]) {
            case "fifo":
                return mkfifo(target);
            case "symlink":
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Paths.get(words[2]));
                return null;
            case "sparse":
                try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                    file.setLength(Long.parseLong(words[2]));
                }
                return null;
            case "mkdir":
                Files.createDirectories(target);
                return null;
            case "copy":
                Files.write(dir.resolve(words[2]), Files.readAllBytes(target));
                return null;
            default:
                throw new IllegalArgumentException("unknown setup step in the corpus index: " + step);
        }
    }

    private static String mkfifo(Path target) throws IOException {
        if (Files.exists(target)) {
            return null;
        }
        Process process;
        try {
            process = new ProcessBuilder("mkfifo", target.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "mkfifo is not available here (" + e.getMessage() + "), so FIFO cases cannot be made";
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "mkfifo " + target + " failed: " + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while making a FIFO";
        } finally {
            process.destroyForcibly();
        }
        return null;
    }

    // --- the index ------------------------------------------------------------------------------------------

    private static void parseIndex(byte[] index, Map<String, String> header, List<Map<String, String>> blocks) {
        Map<String, String> current = header;
        StringBuilder pending = new StringBuilder();
        for (String raw : new String(index, StandardCharsets.UTF_8).split("\n", -1)) {
            if (raw.endsWith(" \\")) {
                pending.append(raw, 0, raw.length() - 1);
                continue;
            }
            String line = (pending + raw).strip();
            pending.setLength(0);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new LinkedHashMap<>();
                current.put("name", line.substring(1, line.length() - 1));
                blocks.add(current);
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("corpus index: not key = value: " + line);
            }
            current.put(line.substring(0, equals).strip(), unescape(line.substring(equals + 1).strip()));
        }
    }

    /** {@code \n}, {@code \r}, {@code \t}, {@code \\} and {@code \}{@code uXXXX}. */
    static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char next = value.charAt(++i);
            switch (next) {
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    out.append((char) Integer.parseInt(value.substring(i + 1, i + 5), 16));
                    i += 4;
                    break;
                default:
                    out.append(next);
            }
        }
        return out.toString();
    }

    private static String substitute(String value, Path dir) {
        return value == null ? null : value.replace("${dir}", dir.toString()).replace("${secret}", SECRET);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MalformedCorpus.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IOException("the corpus file " + RESOURCES + name + " is not on the class path");
            }
            return in.readAllBytes();
        }
    }

    /** The first secret (or fragment) that {@code text} contains, or {@code null}. */
    public static String secretIn(String text) {
        for (String secret : SECRETS) {
            if (text != null && text.contains(secret)) {
                return secret;
            }
        }
        return null;
    }

    /** The first control or other non-printable character of {@code text}, described, or {@code null}. */
    public static String rawControlIn(String text) {
        for (int i = 0; i < text.length(); i++) {
            int type = Character.getType(text.charAt(i));
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return String.format("U+%04X at %d", (int) text.charAt(i), i);
            }
        }
        return null;
    }
}
