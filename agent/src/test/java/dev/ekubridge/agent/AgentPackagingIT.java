package dev.ekubridge.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.ekubridge.agent.support.Forked;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The shaded agent jar: what it holds, its manifest, the bytecode level of its classes, the licence and notice
 * files its bundled dependencies require, and the POM published with it.
 */
class AgentPackagingIT {
    private static final int JAVA_8 = 52;
    private static final String BRIDGE = "dev/ekubridge/agent/bootstrap/SslContextBridge.class";
    /** Each bundled dependency's licence and notice files, as the jar must carry them. */
    private static final String[] THIRD_PARTY_NOTICES = {
        "META-INF/licenses/byte-buddy/LICENSE", "META-INF/licenses/byte-buddy/NOTICE",
        "META-INF/licenses/byte-buddy-agent/LICENSE", "META-INF/licenses/byte-buddy-agent/NOTICE",
        "META-INF/licenses/ASM",
        "META-INF/licenses/slf4j-api/LICENSE.txt", "META-INF/licenses/slf4j-simple/LICENSE.txt",
        "META-INF/licenses/bouncycastle/LICENSE"};

    private static JarFile jar;

    @BeforeAll
    static void open() throws IOException {
        jar = new JarFile(Forked.agentJar().toFile());
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

    @Test
    void theJarCarriesTheProjectsLicenceAndANoticeNamingEveryBundledComponent() throws IOException {
        Path projectLicence = Paths.get("..", "LICENSE");
        assertThat(text("META-INF/LICENSE")).isEqualTo(new String(Files.readAllBytes(projectLicence), StandardCharsets.UTF_8))
            .contains("Apache License", "Version 2.0, January 2004");
        String notice = text("META-INF/NOTICE");
        assertThat(notice).contains("EKU Bridge", "Byte Buddy", "ASM", "SLF4J", "Bouncy Castle");
        // Apache-2.0 section 4(d): the attribution in Byte Buddy's NOTICE is reproduced in the jar's own NOTICE
        String byteBuddyAttribution = text("META-INF/licenses/byte-buddy/NOTICE").lines().findFirst().orElse("");
        assertThat(byteBuddyAttribution).startsWith("Copyright");
        assertThat(notice).contains(byteBuddyAttribution);
        // every file the NOTICE points at is in the jar
        assertThat(notice).contains(THIRD_PARTY_NOTICES);
    }

    @Test
    void everyBundledDependencyKeepsItsLicenceAndNoticeFiles() throws IOException {
        for (String name : THIRD_PARTY_NOTICES) {
            assertThat(text(name)).as(name).isNotBlank();
        }
        assertThat(text("META-INF/licenses/byte-buddy/LICENSE")).contains("Apache License");
        assertThat(text("META-INF/licenses/ASM")).contains("Redistribution and use in source and binary forms");
        for (String mit : new String[] {"META-INF/licenses/slf4j-api/LICENSE.txt", "META-INF/licenses/slf4j-simple/LICENSE.txt",
                "META-INF/licenses/bouncycastle/LICENSE"}) {
            assertThat(text(mit)).as(mit).contains("Permission is hereby granted");
        }
        // and a package of relocated classes has its component's licence beside it
        List<String> names = names();
        assertThat(names).anyMatch(name -> name.startsWith("dev/ekubridge/agent/shaded/bytebuddy/"))
            .anyMatch(name -> name.startsWith("dev/ekubridge/agent/shaded/slf4j/"))
            .anyMatch(name -> name.startsWith("dev/ekubridge/agent/shaded/bouncycastle/"));
    }

    /** Bouncy Castle ships its licence only as a class; the text file in the jar must be that same licence. */
    @Test
    void theBouncyCastleLicenceFileIsTheLicenceOfTheBundledBouncyCastle() throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {Forked.agentJar().toUri().toURL()}, null)) {
            String bundled = (String) Class.forName("dev.ekubridge.agent.shaded.bouncycastle.LICENSE", false, loader)
                .getField("licenseText").get(null);
            assertThat(normalised(text("META-INF/licenses/bouncycastle/LICENSE"))).isEqualTo(normalised(bundled));
        }
    }

    /**
     * The POM installed and deployed with the jar (the project file once the build has run, passed by failsafe):
     * no dependencies, since they are all inside the jar, and the project's licence and address.
     */
    @Test
    void thePublishedPomHasNoDependencies() throws Exception {
        String published = System.getProperty("ekubridge.agent.published.pom");
        assertThat(published).as("system property ekubridge.agent.published.pom (failsafe)").isNotNull();
        Path pom = Paths.get(published);
        assertThat(pom.getFileName().toString()).as("the project file after flatten").isNotEqualTo("pom.xml");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        Element project = document.getDocumentElement();
        assertThat(document.getElementsByTagName("dependency").getLength()).as(pom + " dependencies").isZero();
        assertThat(document.getElementsByTagName("parent").getLength()).as(pom + " parent").isZero();
        assertThat(child(project, "artifactId")).isEqualTo("ekubridge-agent");
        assertThat(child(project, "url")).startsWith("https://");
        assertThat(document.getElementsByTagName("license").getLength()).isEqualTo(1);
        assertThat(child((Element) document.getElementsByTagName("license").item(0), "name")).isEqualTo("Apache-2.0");
        assertThat(document.getElementsByTagName("scm").getLength()).isEqualTo(1);
    }

    private static String child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && name.equals(node.getNodeName())) {
                return node.getTextContent().trim();
            }
        }
        return null;
    }

    private static String normalised(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }

    private static String text(String name) throws IOException {
        return new String(bytes(name), StandardCharsets.UTF_8);
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
