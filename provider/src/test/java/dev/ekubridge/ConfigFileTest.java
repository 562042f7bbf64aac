package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.testing.LogCapture;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config file is UTF-8 (it was read as ISO-8859-1, so a UTF-8 path broke and a byte order mark corrupted
 * the first key), with exactly the JDK's properties syntax otherwise; and the warnings of the environment are
 * logged once by the library.
 */
class ConfigFileTest {
    private static final String PASSWORD = "Store-Pa55word";
    private static final Ca ROOT = TestPki.root("Config File Root", KeyKind.EC_P256);
    private static final Issued SERVER = ROOT.leaf("server.config-file.example").eku(LeafEku.SERVER_AUTH).issue();
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    private Path write(String name, byte[]... parts) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part);
        }
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aUtf8PathToAKeyStoreWorks() throws IOException {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
            "this JVM's file names are " + System.getProperty("sun.jnu.encoding") + ", not UTF-8: a non-ASCII file name cannot be made");
        Path store = TestPki.writePkcs12(Files.createDirectories(dir.resolve("clés-ñ-日本")).resolve("serveur-é.p12"),
            PASSWORD.toCharArray(), Map.of("sip", SERVER));
        Path config = write("eku.properties", utf8("server.keystore=" + store + "\nserver.password=" + PASSWORD + "\n"));

        EkuBridge bridge = EkuBridge.fromConfig(EkuBridgeConfig.load("config=" + config, Map.of(), Map.of()));

        assertThat(bridge.keyManager().identities(Role.SERVER)).singleElement()
            .satisfies(identity -> assertThat(identity.serial()).isEqualTo(SERVER.serial()));
    }

    @Test
    void aByteOrderMarkIsSkipped() throws IOException {
        Path config = write("bom.properties", BOM, utf8("inbound.eku=lenient\nlog.handshakes=true\n"));

        EkuBridgeConfig loaded = EkuBridgeConfig.load("config=" + config, Map.of(), Map.of());

        assertThat(loaded.inboundEku()).isEqualTo(EkuPolicy.LENIENT);
        assertThat(loaded.sourceOf("inbound.eku")).isEqualTo("config file " + config + " line 1 (key inbound.eku)");
    }

    @Test
    void theSyntaxIsTheJdksPropertiesSyntax() throws IOException {
        String text = "# comment \\\n"
            + "! another comment\n"
            + "   inbound.eku   :   lenient  \n"
            + "log.handshakes true\n"
            + "diagnostics.dir = /var/tmp/eku\\\n"
            + "    bridge/d\\u00e9j\\u00e0\n"
            + "\n"
            + "server.alias=sip\\=main\\:1\\\\x\r\n"
            + "client.identity=server\r"
            + "server.keystore=/etc/sip/server.p12";
        Properties jdk = new Properties();
        jdk.load(new StringReader(text));
        Path config = write("syntax.properties", utf8(text));

        EkuBridgeConfig loaded = EkuBridgeConfig.load("config=" + config, Map.of(), Map.of());

        for (String key : jdk.stringPropertyNames()) {
            assertThat(loaded.get(key)).as(key).isEqualTo(jdk.getProperty(key).trim());
        }
        assertThat(loaded.get("diagnostics.dir")).isEqualTo("/var/tmp/ekubridge/déjà");
        assertThat(loaded.sourceOf("diagnostics.dir")).contains("line 5");
        assertThat(loaded.sourceOf("server.alias")).contains("line 8");
        assertThat(loaded.sourceOf("client.identity")).contains("line 9");
        assertThat(loaded.sourceOf("server.keystore")).contains("line 10");
    }

    @Test
    void anUnknownKeyOnAContinuedLineIsNamedByTheLineItStartsOn() throws IOException {
        Path config = write("continued.properties", utf8("inbound.eku=lenient\nS3cret-\\\n  Zebra=x\n"));

        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class,
            () -> EkuBridgeConfig.load("config=" + config, Map.of(), Map.of()));

        assertThat(e.getMessage()).contains("config file " + config + " line 2: unknown key").doesNotContain("S3cret").doesNotContain("Zebra");
    }

    @Test
    void theLibraryLogsTheEnvironmentsWarningsOnce() {
        EkuBridgeConfig config = EkuBridgeConfig.load("inbound.eku=lenient", Map.of(), Map.of("EKUBRIDGE_HOME", "/opt/eku"));

        String log = LogCapture.capture(() -> {
            EkuBridge.fromConfig(config);
            EkuBridge.fromConfig(config);
            return null;
        }).text();

        assertThat(log.lines().filter(line -> line.contains("EKUBRIDGE_HOME"))).singleElement().asString()
            .contains("WARN").contains("environment variable EKUBRIDGE_HOME is not an EKU Bridge key and is ignored")
            .doesNotContain("/opt/eku");
    }
}
