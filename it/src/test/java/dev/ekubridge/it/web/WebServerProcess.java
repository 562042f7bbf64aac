package dev.ekubridge.it.web;

import dev.ekubridge.it.support.Work;
import dev.ekubridge.EkuBridgeProvider;
import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of the web server fixtures ({@link JettyHttpsApp}, {@link TomcatHttpsApp}) in its own JVM on JDK 17 or 25 (SunJSSE),
 * switched over to EKU Bridge by one {@link Route}. Its class path holds the fixture classes, the server's jars and
 * SLF4J's API; the provider route adds the provider jar and its dependencies, the agent route adds nothing (the agent
 * brings its own copy of the provider).
 */
public final class WebServerProcess {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration LINE_TIMEOUT = Duration.ofSeconds(10);

    /** How EKU Bridge gets into the server's JVM. */
    public enum Route {
        /** Nothing: the JDK's own managers. */
        PLAIN,
        /**
         * A {@code java.security} override ({@code -Djava.security.properties=}) that appends {@code EkuBridgeProvider}
         * (and the {@link NamespacingProvider} control) to the JDK's providers and makes {@code EkuBridge} the default
         * key and trust manager factory algorithm ({@code ssl.KeyManagerFactory.algorithm},
         * {@code ssl.TrustManagerFactory.algorithm}): the application is untouched.
         */
        PROVIDER_DEFAULTS,
        /** The same override registering the providers only: the application names the algorithm itself. */
        PROVIDER_REGISTERED,
        /** {@code -javaagent:ekubridge-agent.jar=ARGS}. */
        AGENT
    }

    private final String name;
    private final ManagedProcess process;
    private final Map<String, Integer> ports = new LinkedHashMap<>();

    private WebServerProcess(String name, ManagedProcess process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code main} with {@code args} and one {@code --connector} argument per entry of {@code connectors}
     * ({@code name;key=value;...}), with {@code env} added to its environment, and waits until every connector printed
     * {@code READY name port}; {@code agentArgs} for {@link Route#AGENT} only ({@code log.handshakes=true} is added).
     */
    public static WebServerProcess start(Processes processes, Path dir, String name, Jdk jdk, Class<?> main, Route route,
            Map<String, String> agentArgs, Map<String, String> env, List<String> args, String... connectors) {
        List<String> allArgs = new ArrayList<>(args);
        List<String> connectorNames = new ArrayList<>();
        for (String connector : connectors) {
            allArgs.add("--connector");
            allArgs.add(connector);
            connectorNames.add(connector.split(";")[0]);
        }
        List<String> options = new ArrayList<>();
        options.add("-Xmx160m");
        List<String> classPath = new ArrayList<>(serverClassPath());
        switch (route) {
            case PLAIN -> {
            }
            case PROVIDER_DEFAULTS, PROVIDER_REGISTERED -> {
                options.add("-Djava.security.properties=" + securityOverride(dir.getParent(), jdk, route == Route.PROVIDER_DEFAULTS));
                classPath.addAll(providerClassPath());
            }
            case AGENT -> {
                options.add(Jvm.javaagentWith(AgentLog.withHandshakeLog(agentArgs)));
            }
            default -> throw new IllegalArgumentException(String.valueOf(route));
        }
        List<String> command = Jvm.javaCommand(jdk.java(), options, String.join(File.pathSeparator, classPath), main,
            allArgs.toArray(new String[0]));
        ManagedProcess process = processes.add(ManagedProcess.start(name, command, dir, dir.resolve(name + ".log"), env, true));
        WebServerProcess server = new WebServerProcess(name, process);
        for (String connector : connectorNames) {
            Optional<String> ready = process.awaitOut(0, l -> l.startsWith("READY " + connector + " ") || l.startsWith("FAILED " + connector + " "),
                START_TIMEOUT);
            if (ready.isEmpty() || !ready.get().startsWith("READY ")) {
                throw new AssertionError(name + ": connector " + connector + " did not start\n" + process.transcript());
            }
            server.ports.put(connector, Integer.parseInt(ready.get().substring(ready.get().lastIndexOf(' ') + 1)));
        }
        return server;
    }

    public String name() {
        return name;
    }

    public int port(String connector) {
        Integer port = ports.get(connector);
        if (port == null) {
            throw new IllegalArgumentException("no connector " + connector + " in " + ports.keySet());
        }
        return port;
    }

    /** The first line (either stream) that contains {@code text}, waiting up to {@link #LINE_TIMEOUT}. */
    public Optional<String> awaitLine(String text) {
        return process.awaitAny(l -> l.contains(text), LINE_TIMEOUT);
    }

    /** Jetty's handshake listener's lines for one connector, so far. */
    public List<String> handshakes(String connector) {
        return process.out().stream().filter(l -> l.startsWith("HANDSHAKE " + connector + " ")).toList();
    }

    public List<String> out() {
        return process.out();
    }

    public List<String> err() {
        return process.err();
    }

    public String transcript() {
        return process.transcript();
    }

    /** Fixture classes, the web servers' jars and the SLF4J API, from the test class path. */
    private static List<String> serverClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : Jvm.testClassPath()) {
            String file = Paths.get(entry).getFileName().toString();
            if (file.equals("test-classes") || file.startsWith("jetty-") || file.startsWith("tomcat-") || file.startsWith("slf4j-api-")) {
                entries.add(entry);
            }
        }
        if (entries.stream().noneMatch(e -> e.contains("jetty-server")) || entries.stream().noneMatch(e -> e.contains("tomcat-embed-core"))) {
            throw new IllegalStateException("jetty-server or tomcat-embed-core not on the test class path: " + Jvm.testClassPath());
        }
        return entries;
    }

    /**
     * The provider (from the test class path, or {@code -Dekubridge.it.provider=JAR_OR_DIR} to run these tests against
     * another build of it, e.g. an older branch's) and its run-time dependencies: Bouncy Castle, SLF4J's API.
     */
    static List<String> providerClassPath() {
        List<String> entries = new ArrayList<>();
        String other = System.getProperty("ekubridge.it.provider");
        entries.add(other != null && !other.isBlank() ? Paths.get(other).toAbsolutePath().toString()
            : Jvm.location(EkuBridgeProvider.class).toString());
        for (String entry : Jvm.testClassPath()) {
            String file = Paths.get(entry).getFileName().toString();
            if (file.startsWith("bcprov-") || file.startsWith("bcpkix-") || file.startsWith("bcutil-")) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * {@code security.provider.N+1=dev.ekubridge.EkuBridgeProvider}, {@code N+2=}{@link NamespacingProvider} after this
     * JDK's N providers, and with {@code defaults} {@code ssl.KeyManagerFactory.algorithm=EkuBridge},
     * {@code ssl.TrustManagerFactory.algorithm=EkuBridge}.
     */
    static synchronized Path securityOverride(Path dir, Jdk jdk, boolean defaults) {
        Path file = dir.resolve("java.security.ekubridge-" + (defaults ? "defaults-" : "registered-") + jdk.feature());
        int n = jdk.securityProviders().size();
        StringBuilder text = new StringBuilder("# EKU Bridge's provider after the JDK's own (written by the it tests)\n")
            .append("security.provider.").append(n + 1).append('=').append(EkuBridgeProvider.class.getName()).append('\n')
            .append("security.provider.").append(n + 2).append('=').append(NamespacingProvider.class.getName()).append('\n');
        if (defaults) {
            text.append("ssl.KeyManagerFactory.algorithm=").append(EkuBridgeProvider.NAME).append('\n')
                .append("ssl.TrustManagerFactory.algorithm=").append(EkuBridgeProvider.NAME).append('\n');
        }
        return Work.write(file, text);
    }
}
