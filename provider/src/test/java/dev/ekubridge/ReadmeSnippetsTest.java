package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * README.md stays true on a fresh clone. Every {@code ```java} block compiles against the provider and this
 * module's test class path: each becomes a method of its own class, its {@code import} lines the class's imports,
 * and the placeholders it leaves to the reader ({@code password}, {@code trustStore}) the method's parameters.
 * The library quick start then runs for real against files generated here in place of {@code /etc/sip/}, and the
 * contexts it builds complete mutual-TLS handshakes presenting the identity of each role. What the shell blocks
 * name (files, build outputs, agent commands and keys) and the relative links must exist.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    private static final String PLACEHOLDER_DIRECTORY = "/etc/sip/";
    private static final char[] PASSWORD = "readme-password".toCharArray();
    /** Block: declared local variables, {@code Type name = ...} at the start of a line. */
    private static final Pattern LOCAL = Pattern.compile("(?m)^[A-Z][\\w.]*(?:<[^>]*>)?(?:\\[\\])?\\s+([a-z]\\w*)\\s*=");

    /** A fenced block of README.md: its language, its first line's number and its text. */
    private record Block(String language, int line, String text) {
    }

    private static List<Block> blocks(Path markdown) throws IOException {
        List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```") && lines.get(i).length() > 3) {
                String language = lines.get(i).substring(3).trim();
                int start = i + 1;
                StringBuilder text = new StringBuilder();
                for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                blocks.add(new Block(language, start + 1, text.toString()));
            }
        }
        return blocks;
    }

    private static List<Block> blocks(String language) throws IOException {
        return blocks(README).stream().filter(b -> b.language().equals(language)).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------------------------
    // the Java snippets
    // ------------------------------------------------------------------------------------------------

    @Test
    void everyJavaSnippetCompiles(@TempDir Path classes) throws IOException {
        List<Block> java = blocks("java");
        assertThat(java).as("```java blocks in README.md").hasSizeGreaterThanOrEqualTo(2);
        compile(java, classes);
    }

    @Test
    void theLibraryQuickStartRunsAndEachContextPresentsTheIdentityOfItsRole(@TempDir Path dir) throws Exception {
        QuickStartFiles files = QuickStartFiles.of(dir);
        Map<String, Object> quickStart = run(quickStart(), dir.resolve("classes"), files);
        SSLContext sun = (SSLContext) quickStart.get("context");
        SSLContext bc = (SSLContext) quickStart.get("bc");
        assertThat(sun.getProvider().getName()).isEqualTo("SunJSSE");
        assertThat(bc.getProvider().getName()).isEqualTo("BCJSSE");

        // the two contexts against each other, both ways: each presents the client identity when it dials, the
        // public serverAuth-only one when it answers, and each accepts the other's
        for (SSLContext[] pair : new SSLContext[][] {{sun, bc}, {bc, sun}}) {
            HandshakeResult result = Handshake.run(pair[0], pair[1], "TLSv1.3", true);
            assertThat(result.succeeded()).as(result.toString()).isTrue();
            assertThat(result.serialSeenByServer()).as("client certificate").isEqualTo(files.client.serial());
            assertThat(result.serialSeenByClient()).as("server certificate").isEqualTo(files.publicServer.serial());
        }

        // .inboundEku(EkuPolicy.LENIENT): a peer that dials in with its own public serverAuth-only certificate is accepted
        SSLContext peer = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(files.publicPeer)},
            trustManagers(files.trustStore));
        for (SSLContext server : new SSLContext[] {sun, bc}) {
            HandshakeResult result = Handshake.run(peer, server, "TLSv1.3", true);
            assertThat(result.succeeded()).as(result.toString()).isTrue();
            assertThat(result.serialSeenByServer()).isEqualTo(files.publicPeer.serial());
        }
    }

    /** The configuration-keys snippet reads the same files from {@code -Dekubridge.*} and builds the same bridge. */
    @Test
    void theConfigurationSnippetBuildsTheSameBridgeFromSystemProperties(@TempDir Path dir) throws Exception {
        QuickStartFiles files = QuickStartFiles.of(dir);
        Path trustStoreFile = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", PASSWORD,
            files.ca1.certificate(), files.ca2.certificate());
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("ekubridge.server.keystore", files.publicStore.toString());
        properties.put("ekubridge.server.password", new String(PASSWORD));
        properties.put("ekubridge.client.cert", files.clientCertificate.toString());
        properties.put("ekubridge.client.key", files.clientKey.toString());
        properties.put("ekubridge.truststore", trustStoreFile.toString());
        properties.put("ekubridge.truststore.password", new String(PASSWORD));
        properties.put("ekubridge.inbound.eku", "lenient");
        Block snippet = blocks("java").stream().filter(b -> b.text().contains("EkuBridgeConfig.fromSystem")).findFirst()
            .orElseThrow(() -> new AssertionError("README.md has no ```java block with EkuBridgeConfig.fromSystem"));
        Map<String, Object> locals;
        properties.forEach(System::setProperty);
        try {
            locals = run(snippet, dir.resolve("classes"), files);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
        EkuBridge configured = (EkuBridge) locals.values().stream().filter(v -> v instanceof EkuBridge).findFirst()
            .orElseThrow(() -> new AssertionError("the snippet declares no EkuBridge: " + locals));

        SSLContext quickStart = (SSLContext) run(quickStart(), dir.resolve("quick-start-classes"), files).get("context");
        HandshakeResult result = Handshake.run(configured.sslContext("TLS"), quickStart, "TLSv1.3", true);
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByServer()).isEqualTo(files.client.serial());
        result = Handshake.run(quickStart, configured.sslContext("TLS"), "TLSv1.3", true);
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        assertThat(result.serialSeenByClient()).isEqualTo(files.publicServer.serial());
    }

    private static Block quickStart() throws IOException {
        return blocks("java").stream().filter(b -> b.text().contains("EkuBridge.builder()")).findFirst()
            .orElseThrow(() -> new AssertionError("README.md has no ```java block with EkuBridge.builder()"));
    }

    /** The files the quick start names under /etc/sip/, generated in a directory. */
    private static final class QuickStartFiles {
        final Ca ca1 = TestPki.root("README CA1 private", KeyKind.EC_P256);
        final Ca ca2 = TestPki.root("README CA2 public", KeyKind.EC_P256);
        final Issued publicServer = ca2.leaf("sip.example.com").eku(LeafEku.SERVER_AUTH).dnsNames("sip.example.com").issue();
        final Issued client = ca1.leaf("sip-client.example.com").eku(LeafEku.CLIENT_AUTH).issue();
        final Issued publicPeer = ca2.leaf("peer.example.net").eku(LeafEku.SERVER_AUTH).issue();
        final KeyStore trustStore = TestPki.trustStore(ca1.certificate(), ca2.certificate());
        final Path directory;
        final Path publicStore;
        final Path clientCertificate;
        final Path clientKey;

        private QuickStartFiles(Path directory) {
            this.directory = directory;
            publicStore = TestPki.writePkcs12(directory.resolve("public.p12"), PASSWORD, Map.of("sip", publicServer));
            clientCertificate = Pem.writeChain(directory.resolve("client.crt"), client.certificate());
            clientKey = Pem.writePkcs8(directory.resolve("client.key"), client.privateKey());
        }

        static QuickStartFiles of(Path directory) {
            return new QuickStartFiles(directory);
        }
    }

    private static TrustManager[] trustManagers(KeyStore anchors) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(anchors);
        return factory.getTrustManagers();
    }

    /** Compiles the snippet with /etc/sip/ pointing at the generated files, runs it and returns its local variables. */
    private static Map<String, Object> run(Block block, Path classes, QuickStartFiles files) throws Exception {
        String text = block.text().replace(PLACEHOLDER_DIRECTORY, files.directory.toString() + "/");
        Block located = new Block(block.language(), block.line(), text);
        List<String> names = compile(List.of(located), classes);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ReadmeSnippetsTest.class.getClassLoader())) {
            Method method = loader.loadClass(names.get(0)).getMethod("run", char[].class, KeyStore.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> locals = (Map<String, Object>) method.invoke(null, PASSWORD.clone(), files.trustStore);
            return locals;
        }
    }

    /** Compiles each block as the method of its own class; returns the class names. */
    private static List<String> compile(List<Block> blocks, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        Files.createDirectories(classes);
        List<JavaFileObject> sources = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Block> byName = new LinkedHashMap<>();
        for (Block block : blocks) {
            String simpleName = "ReadmeLine" + block.line();
            String source = wrap(simpleName, block.text());
            sources.add(new SimpleJavaFileObject(URI.create("string:///readme/" + simpleName + ".java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }
            });
            names.add("readme." + simpleName);
            byName.put(simpleName, block);
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        boolean compiled = javac.getTask(output, null, diagnostics,
            List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none"),
            null, sources).call();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String simpleName = d.getSource().getName().replaceAll(".*/|\\.java$", "");
                // source line 1 is the class header, line 2 the snippet's first line
                errors.add("README.md line " + (byName.get(simpleName).line() + d.getLineNumber() - 2) + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertThat(errors).as("README.md's ```java blocks, compiled as:\n"
            + byName.entrySet().stream().map(e -> wrap(e.getKey(), e.getValue().text())).collect(Collectors.joining("\n")) + output)
            .isEmpty();
        assertThat(compiled).isTrue();
        return names;
    }

    /**
     * The snippet as a class: its imports at the top (every line of the class keeps the snippet's line number plus
     * one), its statements as a method whose parameters are the placeholders, returning its local variables.
     */
    private static String wrap(String simpleName, String snippet) {
        StringBuilder header = new StringBuilder("package readme;");
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            if (line.startsWith("import ")) {
                header.append(' ').append(line);
                body.append('\n');
            } else {
                body.append(line).append('\n');
            }
        }
        StringBuilder locals = new StringBuilder("java.util.Map<String, Object> locals = new java.util.LinkedHashMap<>();");
        Matcher declared = LOCAL.matcher(snippet);
        while (declared.find()) {
            locals.append(" locals.put(\"").append(declared.group(1)).append("\", ").append(declared.group(1)).append(");");
        }
        return header + " public class " + simpleName + " { public static java.util.Map<String, Object> run("
            + "char[] password, java.security.KeyStore trustStore) throws Exception {\n"
            + body + locals + " return locals; } }\n";
    }

    // ------------------------------------------------------------------------------------------------
    // everything else README names
    // ------------------------------------------------------------------------------------------------

    @Test
    void theDependencySnippetNamesThisModuleAtItsVersion() throws Exception {
        Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Paths.get("pom.xml").toFile()).getDocumentElement();
        String artifactId = pom.getElementsByTagName("artifactId").item(1).getTextContent().trim();
        String version = ((Element) pom.getElementsByTagName("parent").item(0)).getElementsByTagName("version").item(0).getTextContent().trim();
        assertThat(artifactId).isEqualTo("ekubridge-provider");
        assertThat(blocks("xml")).anySatisfy(block -> assertThat(block.text()).contains(
            "<groupId>dev.ekubridge</groupId>", "<artifactId>" + artifactId + "</artifactId>", "<version>" + version + "</version>"));
    }

    /** Files, build outputs, agent commands and configuration keys in the shell blocks, and README's test command. */
    @Test
    void whatTheShellCommandsNameExists() throws IOException {
        List<Block> shell = blocks("sh");
        assertThat(shell).isNotEmpty();
        String commands = shell.stream().map(b -> b.text()).collect(Collectors.joining("\n"));
        List<String> problems = new ArrayList<>();

        Matcher path = Pattern.compile("(?<![\\w/.-])((?:agent|benchmarks|provider|it|docs|bom|\\.ci)/[\\w./-]+)").matcher(commands);
        int paths = 0;
        while (path.find()) {
            paths++;
            String name = path.group(1);
            Matcher output = Pattern.compile("([\\w-]+)/target/([\\w.-]+)\\.jar").matcher(name);
            if (output.matches()) {
                String pom = new String(Files.readAllBytes(ROOT.resolve(output.group(1)).resolve("pom.xml")), StandardCharsets.UTF_8);
                if (!pom.contains("<finalName>" + output.group(2) + "</finalName>")) {
                    problems.add(name + ": " + output.group(1) + "/pom.xml does not build " + output.group(2) + ".jar");
                }
            } else if (!Files.exists(ROOT.resolve(name))) {
                problems.add(name + ": no such file");
            } else if (name.endsWith(".sh") && !Files.isExecutable(ROOT.resolve(name))) {
                problems.add(name + ": not executable");
            }
        }
        assertThat(paths).as("paths named in the shell blocks").isGreaterThanOrEqualTo(2);

        String agentSources;
        try (Stream<Path> files = Files.walk(ROOT.resolve("agent/src/main/java"))) {
            agentSources = files.filter(p -> p.toString().endsWith(".java")).map(ReadmeSnippetsTest::read).collect(Collectors.joining("\n"));
        }
        Matcher command = Pattern.compile("java -jar \\S*ekubridge-agent\\.jar (\\w+)").matcher(commands);
        int agentCommands = 0;
        while (command.find()) {
            agentCommands++;
            if (!agentSources.contains("\"" + command.group(1) + "\"")) {
                problems.add("agent command " + command.group(1) + ": not in the agent's command line");
            }
        }
        assertThat(agentCommands).as("java -jar ekubridge-agent.jar commands in the shell blocks").isGreaterThanOrEqualTo(3);

        List<String> keys = new ArrayList<>();
        Matcher agentArguments = Pattern.compile("-javaagent:\\S*ekubridge-agent\\.jar=(\\S+)").matcher(commands);
        while (agentArguments.find()) {
            for (String argument : agentArguments.group(1).split(",")) {
                keys.add(argument.substring(0, argument.indexOf('=')));
            }
        }
        Matcher property = Pattern.compile("-Dekubridge\\.([\\w.-]+)=").matcher(commands);
        while (property.find()) {
            keys.add(property.group(1));
        }
        assertThat(keys).as("configuration keys in the shell blocks").isNotEmpty();
        keys.stream().filter(key -> !EkuBridgeConfig.KEYS.contains(key)).forEach(key -> problems.add("unknown configuration key " + key));

        // "Run the tests (this is what CI runs)"
        String ci = read(ROOT.resolve(".ci/run"));
        Matcher mvn = Pattern.compile("(?m)^(mvn [^\\n#]+?)\\s*$").matcher(ci);
        assertThat(mvn.find()).as(".ci/run runs Maven").isTrue();
        if (!commands.contains(mvn.group(1) + "\n")) {
            problems.add("README's test command is not what .ci/run runs: " + mvn.group(1));
        }
        assertThat(problems).isEmpty();
    }

    /** Relative links of README.md and docs/ lead to files that exist, and to headings that exist. */
    @Test
    void relativeLinksResolve() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> problems = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        for (Path page : pages) {
            Matcher m = link.matcher(read(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://")) {
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    problems.add(ROOT.relativize(page) + ": " + target + ": no such file");
                } else if (target.contains("#") && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
                    problems.add(ROOT.relativize(page) + ": " + target + ": no such heading");
                }
            }
        }
        assertThat(pages).hasSizeGreaterThan(1);
        assertThat(problems).isEmpty();
    }

    /** GitHub's anchors of a Markdown file's headings. */
    private static List<String> anchors(Path markdown) {
        return read(markdown).lines().filter(line -> line.startsWith("#"))
            .map(line -> line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
            .collect(Collectors.toList());
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
