package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import dev.ekubridge.testsupport.process.Jvm;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shaded agent jar: what it holds, its manifest, and the bytecode level of its classes. */
class AgentPackagingIT {
    private static final int JAVA_8 = 52;
    private static final String BRIDGE = "dev/ekubridge/agent/bootstrap/SslContextBridge.class";

    private static JarFile jar;

    @BeforeAll
    static void open() throws IOException {
        jar = new JarFile(Jvm.agentJar().toFile());
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (JarEntry entry : Collections.list(jar.entries())) {
            names.add(entry.getName());
        }
        return names;
    }

    @Test
    void everyEntryIsUnderDevEkubridgeOrMetaInf() {
        List<String> names = names();
        assertThat(names).hasSizeGreaterThan(1000); // Byte Buddy, SLF4J, Bouncy Castle and the provider are all in
        assertThat(names).allSatisfy(name -> assertThat(name).matches("(dev/|dev/ekubridge/.*|META-INF/.*)"));
        assertThat(names).noneMatch(name -> name.startsWith("org/") || name.startsWith("net/") || name.startsWith("com/"));
    }

    @Test
    void everyDependencyIsRelocatedUnderTheAgentsOwnPackage() {
        List<String> names = names();
        assertThat(names).contains(
            "dev/ekubridge/agent/shaded/bytebuddy/jar/asm/ClassReader.class",
            "dev/ekubridge/agent/shaded/slf4j/LoggerFactory.class",
            "dev/ekubridge/agent/shaded/slf4j/simple/SimpleLogger.class",
            "dev/ekubridge/agent/shaded/bouncycastle/asn1/ASN1Object.class",
            "dev/ekubridge/agent/shaded/ekubridge/EkuBridge.class");
        // the provider is relocated too: no unrelocated dev/ekubridge/*.class an application's own copy could clash with
        assertThat(names).noneMatch(name -> name.matches("dev/ekubridge/[^/]+\\.class") || name.startsWith("dev/ekubridge/internal/"));
    }

    @Test
    void serviceFilesNameRelocatedClassesThatAreInTheJar() throws IOException {
        Map<String, String> services = new TreeMap<>();
        for (String name : names()) {
            if (name.startsWith("META-INF/services/") && !name.endsWith("/")) {
                try (InputStream in = jar.getInputStream(jar.getJarEntry(name))) {
                    services.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(services).containsKey("META-INF/services/dev.ekubridge.agent.shaded.slf4j.spi.SLF4JServiceProvider");
        services.forEach((file, content) -> content.lines().map(String::trim)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .forEach(type -> {
                assertThat(type).as(file).startsWith("dev.ekubridge.");
                assertThat(jar.getJarEntry(type.replace('.', '/') + ".class")).as(file + " names " + type).isNotNull();
            }));
    }

    @Test
    void manifestDeclaresTheAgentAndTheCommandLine() throws IOException {
        Attributes main = jar.getManifest().getMainAttributes();
        assertThat(main.getValue("Premain-Class")).isEqualTo("dev.ekubridge.agent.EkuBridgeAgent");
        assertThat(main.getValue("Agent-Class")).isEqualTo("dev.ekubridge.agent.EkuBridgeAgent");
        assertThat(main.getValue("Main-Class")).isEqualTo("dev.ekubridge.agent.cli.Main");
        assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
        for (String type : new String[] {"Premain-Class", "Agent-Class", "Main-Class"}) {
            assertThat(jar.getJarEntry(main.getValue(type).replace('.', '/') + ".class")).as(type).isNotNull();
        }
    }

    @Test
    void theBootstrapBridgeIsPresentAndUsesJdkTypesOnly() throws IOException {
        assertThat(jar.getJarEntry(BRIDGE)).isNotNull();
        TreeSet<String> referenced = new TreeSet<>();
        new ClassReader(bytes(BRIDGE)).accept(new ClassRemapper(new ClassVisitor(Opcodes.ASM9) {
        }, new Remapper() {
            @Override
            public String map(String internalName) {
                referenced.add(internalName);
                return internalName;
            }
        }), 0);
        referenced.remove("dev/ekubridge/agent/bootstrap/SslContextBridge");
        assertThat(referenced).isNotEmpty().allSatisfy(type -> assertThat(type).startsWith("java/"));
    }

    @Test
    void agentClassesAreJava8Bytecode() throws IOException {
        for (String name : new String[] {BRIDGE, "dev/ekubridge/agent/EkuBridgeAgent.class", "dev/ekubridge/agent/AgentInstaller.class",
                "dev/ekubridge/agent/SslContextTransformer.class", "dev/ekubridge/agent/cli/Main.class",
                "dev/ekubridge/agent/shaded/ekubridge/EkuBridge.class"}) {
            assertThat(majorVersion(name)).as(name).isEqualTo(JAVA_8);
        }
        // nothing in the jar needs more than Java 8
        Map<String, Integer> newer = new TreeMap<>();
        for (String name : names()) {
            if (name.endsWith(".class")) {
                int major = majorVersion(name);
                if (major > JAVA_8) {
                    newer.put(name, major);
                }
            }
        }
        assertThat(newer).as("classes above Java 8 (major 52)").isEmpty();
    }

    private static int majorVersion(String name) throws IOException {
        byte[] bytes = bytes(name);
        assertThat(bytes.length).as(name).isGreaterThan(8);
        assertThat(((bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff)))
            .as(name + " magic").isEqualTo(0xCAFEBABE);
        return (bytes[6] & 0xff) << 8 | (bytes[7] & 0xff);
    }

    private static byte[] bytes(String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }
}
