package dev.ekubridge.it.support;

import dev.ekubridge.testsupport.process.Jdk;
import dev.ekubridge.testsupport.process.Jvm;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one of the test applications ({@code dev.ekubridge.it.sip.*}) in its own JVM: the variant's
 * JDK and TLS engine, a class path holding only what the application needs (its classes, JAIN-SIP and
 * log4j, and for BCJSSE the Bouncy Castle jars), its {@code -D} properties, and the agent attached with
 * {@code -javaagent:ekubridge-agent.jar=ARGS} when agent arguments are given.
 */
public final class JavaApp {
    private final String name;
    private final Variant variant;
    private final Class<?> mainClass;
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Map<String, String> agentArgs;

    private JavaApp(String name, Variant variant, Class<?> mainClass) {
        this.name = name;
        this.variant = variant;
        this.mainClass = mainClass;
    }

    public static JavaApp of(String name, Variant variant, Class<?> mainClass) {
        return new JavaApp(name, variant, mainClass);
    }

    public JavaApp args(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public JavaApp property(String key, Object value) {
        properties.put(key, String.valueOf(value));
        return this;
    }

    /** Attach the agent with these arguments (in order); {@code null} runs the application alone. */
    public JavaApp agent(Map<String, String> arguments) {
        this.agentArgs = arguments;
        return this;
    }

    /** Attach the agent with these arguments and {@code log.handshakes=true}; {@code null} runs the application alone. */
    public JavaApp agentLoggingHandshakes(Map<String, String> arguments) {
        return agent(arguments == null ? null : AgentLog.withHandshakeLog(arguments));
    }

    /** The application's default key and trust stores ({@code javax.net.ssl.*}): PKCS#12, password {@link Pki#PASSWORD}. */
    public JavaApp defaultStores(Path keyStore, Path trustStore) {
        return property("javax.net.ssl.keyStore", keyStore)
            .property("javax.net.ssl.keyStorePassword", Pki.PASSWORD)
            .property("javax.net.ssl.keyStoreType", "PKCS12")
            .property("javax.net.ssl.trustStore", trustStore)
            .property("javax.net.ssl.trustStorePassword", Pki.PASSWORD)
            .property("javax.net.ssl.trustStoreType", "PKCS12");
    }

    public ManagedProcess start(Processes processes, Path workDir) {
        List<String> options = new ArrayList<>();
        // a small JVM: the machine has two cores and runs several at once
        options.add("-Xmx128m");
        if (agentArgs != null) {
            options.add(Jvm.javaagentWith(agentArgs));
        }
        if (variant.engine == Engine.BC_JSSE) {
            options.add("-Djava.security.properties=" + bcSecurityFile(workDir.getParent(), variant.jdk));
        }
        properties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        List<String> command = Jvm.javaCommand(variant.jdk.java(), options, classPath(variant.engine), mainClass,
            args.toArray(new String[0]));
        return processes.add(ManagedProcess.start(name, command, workDir, workDir.resolve(name + ".log"), Map.of(), true));
    }

    private static String classPath(Engine engine) {
        List<String> entries = new ArrayList<>();
        for (String entry : Jvm.testClassPath()) {
            String file = Paths.get(entry).getFileName().toString();
            boolean keep = file.equals("test-classes") || file.startsWith("jain-sip-ri-") || file.startsWith("log4j-")
                || engine == Engine.BC_JSSE && (file.startsWith("bcprov-") || file.startsWith("bctls-") || file.startsWith("bcutil-"));
            if (keep) {
                entries.add(entry);
            }
        }
        if (entries.stream().noneMatch(e -> e.contains("jain-sip-ri"))) {
            throw new IllegalStateException("jain-sip-ri not on the test class path: " + Jvm.testClassPath());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * A {@code java.security} override putting Bouncy Castle's providers first: BC, then BCJSSE, then
     * the JDK's own list, renumbered; and BCJSSE's own key manager factory as the default algorithm.
     * (With the JDK's default {@code SunX509}, which BCJSSE does not provide, an application that asks
     * for the default algorithm gets SunJSSE's key manager, which does not understand the key type names
     * BCJSSE asks for, e.g. {@code ECDHE_ECDSA} or {@code EC/secp256r1}: without the agent such a server
     * finds no cipher suite and such a client sends no certificate.)
     */
    static synchronized Path bcSecurityFile(Path dir, Jdk jdk) {
        Path file = dir.resolve("java.security.bcjsse-" + jdk.feature());
        if (Files.isRegularFile(file)) {
            return file;
        }
        StringBuilder text = new StringBuilder("# BCJSSE first (written by the it tests)\n")
            .append("ssl.KeyManagerFactory.algorithm=PKIX\n")
            .append("security.provider.1=org.bouncycastle.jce.provider.BouncyCastleProvider\n")
            .append("security.provider.2=org.bouncycastle.jsse.provider.BouncyCastleJsseProvider\n");
        int index = 3;
        for (String provider : jdk.securityProviders()) {
            text.append("security.provider.").append(index++).append('=').append(provider).append('\n');
        }
        return Work.write(file, text);
    }
}
