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

import dev.ekubridge.testsupport.process.Jvm;
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
                "dev/ekubridge/agent/ManagersTransformer.class", "dev/ekubridge/agent/cli/Main.class",
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
        try (URLClassLoader loader = new URLClassLoader(new URL[] {Jvm.agentJar().toUri().toURL()}, null)) {
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

    @Test
    void theProviderJarDeclaresItsModuleNameAndCarriesTheLicence() throws IOException {
        try (JarFile provider = new JarFile(providerJar().toFile())) {
            assertThat(provider.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
                .isEqualTo("dev.ekubridge.provider");
            assertThat(provider.getJarEntry("META-INF/LICENSE")).as("META-INF/LICENSE").isNotNull();
            assertThat(provider.getJarEntry("META-INF/NOTICE")).as("META-INF/NOTICE").isNotNull();
        }
    }

    /** Every top-level class of the provider and the agent has its source in the sources jar; both have Javadoc. */
    @Test
    void sourcesAndJavadocJarsArePublishedForTheProviderAndTheAgent() throws IOException {
        Path provider = providerJar();
        Path agent = Jvm.agentJar();
        assertSourcesCover(provider, sibling(provider, "sources"), "dev/ekubridge/");
        assertSourcesCover(agent, sibling(agent, "sources"), "dev/ekubridge/agent/");
        assertJavadoc(sibling(provider, "javadoc"), "dev/ekubridge/EkuBridgeProvider.html");
        assertJavadoc(sibling(agent, "javadoc"), "dev/ekubridge/agent/EkuBridgeAgent.html");
    }

    @Test
    void theBomListsTheProviderAndTheAgentAtTheProjectVersion() throws Exception {
        String version = System.getProperty("ekubridge.version");
        assertThat(version).as("system property ekubridge.version (failsafe)").isNotBlank();
        Path pom = Paths.get("..", "bom", "pom.xml");
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
        assertThat(child(project, "artifactId")).isEqualTo("ekubridge-bom");
        assertThat(child(project, "packaging")).isEqualTo("pom");
        Element parent = (Element) project.getElementsByTagName("parent").item(0);
        assertThat(child(parent, "version")).isEqualTo(version);
        Map<String, String> managed = new TreeMap<>();
        for (Node node = ((Element) project.getElementsByTagName("dependencyManagement").item(0)).getElementsByTagName("dependency")
                .item(0); node != null; node = node.getNextSibling()) {
            if (node instanceof Element) {
                managed.put(child((Element) node, "groupId") + ":" + child((Element) node, "artifactId"), child((Element) node, "version"));
            }
        }
        assertThat(managed).containsOnly(
            Map.entry("dev.ekubridge:ekubridge-provider", "${project.version}"),
            Map.entry("dev.ekubridge:ekubridge-agent", "${project.version}"));
    }

    private static Path providerJar() {
        String jar = System.getProperty("ekubridge.provider.jar");
        assertThat(jar).as("system property ekubridge.provider.jar (failsafe)").isNotNull();
        Path path = Paths.get(jar);
        assertThat(path).as("the provider jar, built before the agent in the reactor").isRegularFile();
        return path;
    }

    /** ekubridge-agent.jar -> ekubridge-agent-sources.jar */
    private static Path sibling(Path jar, String classifier) {
        String name = jar.getFileName().toString();
        Path path = jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-" + classifier + ".jar");
        assertThat(path).as(classifier + " jar").isRegularFile();
        return path;
    }

    private static void assertSourcesCover(Path jar, Path sources, String prefix) throws IOException {
        List<String> expected = new ArrayList<>();
        try (JarFile classes = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(classes.entries())) {
                String name = entry.getName();
                if (name.startsWith(prefix) && name.endsWith(".class") && !name.contains("$") && !name.contains("/shaded/")
                        && !name.endsWith("package-info.class")) {
                    expected.add(name.substring(0, name.length() - ".class".length()) + ".java");
                }
            }
        }
        assertThat(expected).as("top-level classes under " + prefix + " in " + jar).isNotEmpty();
        try (JarFile source = new JarFile(sources.toFile())) {
            List<String> present = new ArrayList<>();
            for (JarEntry entry : Collections.list(source.entries())) {
                present.add(entry.getName());
            }
            assertThat(present).as(sources.toString()).containsAll(expected);
        }
    }

    private static void assertJavadoc(Path javadoc, String page) throws IOException {
        try (JarFile docs = new JarFile(javadoc.toFile())) {
            assertThat(docs.getJarEntry("index.html")).as(javadoc + " index.html").isNotNull();
            assertThat(docs.getJarEntry(page)).as(javadoc + " " + page).isNotNull();
        }
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
