package dev.ekubridge;

import static dev.ekubridge.testing.BridgeErrors.thrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.pki.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of {@link EkuBridgeConfig} (README's configuration table and sources) and how {@link EkuBridge#fromConfig} uses it. */
class EkuBridgeConfigTest {
    private static final String PASSWORD = "Store-Pa55word";

    private static final Ca ROOT = TestPki.root("Config Root", KeyKind.EC_P256);
    private static final Issued SERVER = ROOT.leaf("server.config.example").eku(LeafEku.SERVER_AUTH).issue();
    private static final Issued CLIENT = ROOT.leaf("client.config.example").eku(LeafEku.CLIENT_AUTH).issue();

    private static final Map<String, String> NONE = Map.of();

    private static Map<String, String> map(String... keyThenValue) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValue.length; i += 2) {
            map.put(keyThenValue[i], keyThenValue[i + 1]);
        }
        return map;
    }

    private static Path properties(Path file, String... lines) throws IOException {
        return Files.write(file, Arrays.asList(lines), StandardCharsets.ISO_8859_1);
    }

    private static Path serverStore(Path dir) {
        return TestPki.writePkcs12(dir.resolve("server.p12"), PASSWORD.toCharArray(), Map.of("sip", SERVER));
    }

    // ------------------------------------------------------------------------------------------------
    // Unknown keys
    // ------------------------------------------------------------------------------------------------

    @Nested
    class UnknownKeys {
        @Test
        void fromAgentArgument() {
            EkuBridgeException e = thrownBy(Reason.UNKNOWN_KEY,
                () -> EkuBridgeConfig.load("inbound.eku=strict,server.keystor=/a.p12", NONE, NONE));
            assertThat(e.getMessage()).contains("'server.keystor'").contains("agent argument");
        }

        @Test
        void fromSystemProperty() {
            EkuBridgeException e = thrownBy(Reason.UNKNOWN_KEY, () -> EkuBridgeConfig.load(null,
                map("java.version", "17", "ekubridge.inbound.ek", "strict"), NONE));
            assertThat(e.getMessage()).contains("'inbound.ek'").contains("system property -Dekubridge.inbound.ek");
        }

        @Test
        void fromEnvironmentVariableIsAWarningNamingTheVariableNotAnError() {
            // other software may use the prefix (EKUBRIDGE_HOME): the JVM must not stop for it
            EkuBridgeConfig config = EkuBridgeConfig.load(null, NONE,
                map("PATH", "/usr/bin", "EKUBRIDGE_INBOUND_EK", "strict-Secret-Value", "EKUBRIDGE_HOME", "/opt/eku"));

            assertThat(config.isEmpty()).isTrue();
            assertThat(config.warnings()).hasSize(2);
            assertThat(config.warnings().get(0)).contains("environment variable EKUBRIDGE_INBOUND_EK ")
                .contains("did you mean EKUBRIDGE_INBOUND_EKU?").doesNotContain("Secret");
            assertThat(config.warnings().get(1)).contains("environment variable EKUBRIDGE_HOME is not an EKU Bridge key")
                .doesNotContain("/opt/eku");
            assertThat(EkuBridgeConfig.load(null, NONE, map("EKUBRIDGE_INBOUND_EKU", "lenient")).warnings()).isEmpty();
        }

        @Test
        void fromConfigFileByLineNotByName(@TempDir Path dir) throws IOException {
            Path file = properties(dir.resolve("eku.properties"), "inbound.eku=lenient", "log.handshake=true");

            EkuBridgeException e = thrownBy(Reason.UNKNOWN_KEY, () -> EkuBridgeConfig.load("config=" + file, NONE, NONE));
            assertThat(e.getMessage()).contains("config file " + file + " line 2: unknown key")
                .contains("did you mean log.handshakes?").doesNotContain("log.handshake=").doesNotContain("'log.handshake'");
        }

        @Test
        void fromAProgramsMap() {
            EkuBridgeException e = thrownBy(Reason.UNKNOWN_KEY,
                () -> EkuBridgeConfig.of(map("reload.second", "5"), "my application map"));
            assertThat(e.getMessage()).contains("'reload.second'").contains("my application map");
        }

        @Test
        void unrelatedPropertiesAndVariablesAreIgnored() {
            EkuBridgeConfig config = EkuBridgeConfig.load(null, map("java.version", "17", "ekubridgeX", "1", "user.home", "/root"),
                map("PATH", "/usr/bin", "EKUBRIDGE", "x", "ekubridge_inbound_eku", "loose"));

            assertThat(config.isEmpty()).isTrue();
            assertThat(config.inboundEku()).isEqualTo(EkuPolicy.STRICT);
        }

        @Test
        void agentArgumentThatIsNotKeyValue() {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE, () -> EkuBridgeConfig.load("inbound.eku=strict,lenient", NONE, NONE));
            assertThat(e.getMessage()).contains("agent argument 2 is not key=value");
        }

        @Test
        void aPasswordSplitAtACommaIsNotEchoed() {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE,
                () -> EkuBridgeConfig.load("server.password=abc,s3cr3t-tail", NONE, NONE));
            assertThat(e.getMessage()).doesNotContain("s3cr3t").doesNotContain("abc").contains(".password.file");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Values
    // ------------------------------------------------------------------------------------------------

    @Nested
    class Values {
        @Test
        void defaults() {
            EkuBridgeConfig config = EkuBridgeConfig.load(null, NONE, NONE);

            assertThat(config.isEmpty()).isTrue();
            assertThat(config.inboundEku()).isEqualTo(EkuPolicy.STRICT);
            assertThat(config.logHandshakes()).isFalse();
            assertThat(config.reloadSeconds()).isZero();
            assertThat(config.logLevel()).isEqualTo("info");
            assertThat(config.diagnosticsDir()).isNull();
            assertThat(config.clientUsesServerIdentity()).isFalse();
            assertThat(config.hasIdentity(Role.SERVER)).isFalse();
            assertThat(config.get("inbound.eku")).isNull();
            assertThat(config.sourceOf("inbound.eku")).isNull();
        }

        @Test
        void goodValuesParse() {
            EkuBridgeConfig config = EkuBridgeConfig.load("inbound.eku=server-auth,log.handshakes=TRUE,reload.seconds=30,"
                + "diagnostics.dir=/var/tmp/eku", NONE, NONE);

            assertThat(config.isEmpty()).isFalse();
            assertThat(config.inboundEku()).isEqualTo(EkuPolicy.SERVER_AUTH);
            assertThat(config.logHandshakes()).isTrue();
            assertThat(config.reloadSeconds()).isEqualTo(30);
            assertThat(config.diagnosticsDir()).isEqualTo(Path.of("/var/tmp/eku"));
            assertThat(EkuBridgeConfig.of(map("inbound.eku", "audit", "log.handshakes", "false", "reload.seconds", "0"), "m")
                .inboundEku()).isEqualTo(EkuPolicy.AUDIT);
        }

        @Test
        void inboundEkuLoose() {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE,
                () -> EkuBridgeConfig.load(null, map("ekubridge.inbound.eku", "loose"), NONE));
            assertThat(e.getMessage()).contains("inbound.eku").contains("system property -Dekubridge.inbound.eku")
                .contains("'loose'").contains("strict, lenient, audit or server-auth");
        }

        @Test
        void logHandshakesYes() {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE,
                () -> EkuBridgeConfig.load(null, NONE, map("EKUBRIDGE_LOG_HANDSHAKES", "yes")));
            assertThat(e.getMessage()).contains("log.handshakes").contains("environment variable EKUBRIDGE_LOG_HANDSHAKES")
                .contains("'yes'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"error", "warn", "info", "debug"})
        void logLevelTakesEachLevelInAnyCase(String level) {
            assertThat(EkuBridgeConfig.load("log.level=" + level, NONE, NONE).logLevel()).isEqualTo(level);
            assertThat(EkuBridgeConfig.load(null, NONE, map("EKUBRIDGE_LOG_LEVEL", " " + level.toUpperCase(Locale.ROOT) + " "))
                .logLevel()).isEqualTo(level);
        }

        @ParameterizedTest
        @ValueSource(strings = {"trace", "warning", "off", "2"})
        void logLevelOtherThanTheFourIsOneErrorNamingKeyAndSource(String value) {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE,
                () -> EkuBridgeConfig.load(null, map("ekubridge.log.level", value), NONE));
            assertThat(e.getMessage()).contains("log.level").contains("system property -Dekubridge.log.level")
                .contains("'" + value + "'").contains("error, warn, info or debug");
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "abc", "1.5", "99999999999"})
        void reloadSecondsNotAWholeNonNegativeNumber(String value) {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE, () -> EkuBridgeConfig.load("reload.seconds=" + value, NONE, NONE));
            assertThat(e.getMessage()).contains("reload.seconds").contains("agent argument reload.seconds").contains("'" + value + "'");
        }

        @Test
        void clientIdentityClient(@TempDir Path dir) throws IOException {
            Path file = properties(dir.resolve("c.properties"), "server.keystore=/a.p12", "client.identity=client");

            EkuBridgeException e = thrownBy(Reason.BAD_VALUE, () -> EkuBridgeConfig.load("config=" + file, NONE, NONE));
            assertThat(e.getMessage()).contains("client.identity").contains("config file " + file).contains("'client'")
                .contains("'server'");
        }

        @Test
        void emptyValue() {
            EkuBridgeException e = thrownBy(Reason.BAD_VALUE, () -> EkuBridgeConfig.load("server.keystore=", NONE, NONE));
            assertThat(e.getMessage()).contains("server.keystore").contains("empty");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Conflicting and missing keys
    // ------------------------------------------------------------------------------------------------

    @Nested
    class Conflicts {
        private void assertConflict(Map<String, String> values, String a, String b) {
            EkuBridgeException e = thrownBy(Reason.CONFLICTING_KEYS, () -> EkuBridgeConfig.of(values, "test map"));
            assertThat(e.getMessage()).contains(a).contains(b).contains("test map");
        }

        @Test
        void keystoreAndPemCertificate() {
            assertConflict(map("server.keystore", "/a.p12", "server.cert", "/a.crt", "server.key", "/a.key"),
                "server.keystore", "server.cert");
            assertConflict(map("client.keystore", "/a.p12", "client.key", "/a.key"), "client.keystore", "client.key");
        }

        @Test
        void twoPasswordForms() {
            assertConflict(map("server.keystore", "/a.p12", "server.password", "x", "server.password.env", "PW"),
                "server.password", "server.password.env");
            assertConflict(map("client.keystore", "/a.p12", "client.password.env", "PW", "client.password.file", "/pw"),
                "client.password.env", "client.password.file");
            assertConflict(map("truststore", "/t.p12", "truststore.password", "x", "truststore.password.file", "/pw"),
                "truststore.password", "truststore.password.file");
        }

        @Test
        void clientIdentityAndClientKeystore() {
            assertConflict(map("server.keystore", "/a.p12", "client.identity", "server", "client.keystore", "/c.p12"),
                "client.identity", "client.keystore");
            assertConflict(map("server.keystore", "/a.p12", "client.identity", "server", "client.cert", "/c.crt", "client.key", "/c.key"),
                "client.identity", "client.cert");
        }

        @Test
        void truststoreAndTruststorePem() {
            assertConflict(map("truststore", "/t.p12", "truststore.pem", "/t.pem"), "truststore", "truststore.pem");
        }

        @Test
        void conflictAcrossSourcesNamesBothSources() {
            EkuBridgeException e = thrownBy(Reason.CONFLICTING_KEYS, () -> EkuBridgeConfig.load("server.keystore=/a.p12",
                map("ekubridge.server.cert", "/a.crt", "ekubridge.server.key", "/a.key"), NONE));
            assertThat(e.getMessage()).contains("agent argument server.keystore").contains("system property -Dekubridge.server.cert");
        }

        @Test
        void sameAgentArgumentTwice() {
            EkuBridgeException e = thrownBy(Reason.CONFLICTING_KEYS,
                () -> EkuBridgeConfig.load("inbound.eku=strict,inbound.eku=lenient", NONE, NONE));
            assertThat(e.getMessage()).contains("inbound.eku").contains("twice");
        }
    }

    @Nested
    class Missing {
        private EkuBridgeException missing(Map<String, String> values) {
            EkuBridgeException e = thrownBy(Reason.MISSING_KEY, () -> EkuBridgeConfig.of(values, "test map"));
            return e;
        }

        @Test
        void certWithoutKeyAndKeyWithoutCert() {
            assertThat(missing(map("server.cert", "/a.crt")).getMessage()).contains("server.cert").contains("needs server.key");
            assertThat(missing(map("client.key", "/a.key")).getMessage()).contains("client.key").contains("needs client.cert");
        }

        @Test
        void aliasWithoutKeystore() {
            assertThat(missing(map("server.alias", "sip")).getMessage()).contains("server.alias").contains("needs server.keystore");
            assertThat(missing(map("server.cert", "/a.crt", "server.key", "/a.key", "server.alias", "sip")).getMessage())
                .contains("server.alias");
        }

        @Test
        void clientIdentityServerWithoutAServerIdentity() {
            assertThat(missing(map("client.identity", "server")).getMessage()).contains("client.identity=server")
                .contains("test map").contains("server identity");
            assertThat(missing(map("client.identity", "server", "client.alias", "x")).getMessage()).contains("client.alias");
        }

        @Test
        void passwordWithoutAStore() {
            assertThat(missing(map("server.password", "x")).getMessage()).contains("server.password").contains("server.keystore");
            assertThat(missing(map("truststore.password.env", "PW")).getMessage()).contains("truststore.password.env")
                .contains("needs truststore");
        }

        @Test
        void passwordEnvNamingAnUnsetVariable(@TempDir Path dir) {
            Path store = serverStore(dir);
            EkuBridgeConfig config = EkuBridgeConfig.load(null,
                map("ekubridge.server.keystore", store.toString(), "ekubridge.server.password.env", "EKU_TEST_NOT_SET"),
                map("SOME_OTHER", PASSWORD));

            EkuBridgeException e = thrownBy(Reason.MISSING_KEY, () -> EkuBridge.fromConfig(config));
            assertThat(e.getMessage()).contains("server.password.env").contains("EKU_TEST_NOT_SET")
                .contains("system property -Dekubridge.server.password.env").contains("not set");
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Sources and precedence
    // ------------------------------------------------------------------------------------------------

    @Nested
    class Precedence {
        @Test
        void firstSourceThatSetsAKeyWins(@TempDir Path dir) throws IOException {
            Path file = properties(dir.resolve("eku.properties"), "reload.seconds=4", "inbound.eku=audit");
            String agent = "reload.seconds=1";
            Map<String, String> properties = map("ekubridge.reload.seconds", "2");
            Map<String, String> environment = map("EKUBRIDGE_RELOAD_SECONDS", "3", "EKUBRIDGE_CONFIG", file.toString());

            EkuBridgeConfig all = EkuBridgeConfig.load(agent, properties, environment);
            assertThat(all.reloadSeconds()).isEqualTo(1);
            assertThat(all.sourceOf("reload.seconds")).isEqualTo("agent argument reload.seconds");

            EkuBridgeConfig noAgent = EkuBridgeConfig.load(null, properties, environment);
            assertThat(noAgent.reloadSeconds()).isEqualTo(2);
            assertThat(noAgent.sourceOf("reload.seconds")).isEqualTo("system property -Dekubridge.reload.seconds");

            EkuBridgeConfig envAndFile = EkuBridgeConfig.load(null, NONE, environment);
            assertThat(envAndFile.reloadSeconds()).isEqualTo(3);
            assertThat(envAndFile.sourceOf("reload.seconds")).isEqualTo("environment variable EKUBRIDGE_RELOAD_SECONDS");

            EkuBridgeConfig fileOnly = EkuBridgeConfig.load(null, NONE, map("EKUBRIDGE_CONFIG", file.toString()));
            assertThat(fileOnly.reloadSeconds()).isEqualTo(4);
            assertThat(fileOnly.sourceOf("reload.seconds")).startsWith("config file " + file);

            // the file was read in every case: keys nobody else set come from it
            for (EkuBridgeConfig config : List.of(all, noAgent, envAndFile, fileOnly)) {
                assertThat(config.inboundEku()).isEqualTo(EkuPolicy.AUDIT);
                assertThat(config.sourceOf("inbound.eku")).startsWith("config file " + file);
            }
        }

        @Test
        void aLowerSourceWithABadValueIsShadowedByAHigherOne() {
            EkuBridgeConfig config = EkuBridgeConfig.load("inbound.eku=lenient", map("ekubridge.inbound.eku", "loose"),
                map("EKUBRIDGE_INBOUND_EKU", "also-loose"));

            assertThat(config.inboundEku()).isEqualTo(EkuPolicy.LENIENT);
        }

        @Test
        void inlineKeysOverrideTheConfigFile(@TempDir Path dir) throws IOException {
            Path file = properties(dir.resolve("eku.properties"), "# EKU Bridge", "inbound.eku = strict", "log.handshakes=true",
                "reload.seconds=10");

            EkuBridgeConfig config = EkuBridgeConfig.load("config=" + file + ",inbound.eku=lenient", NONE, NONE);

            assertThat(config.inboundEku()).isEqualTo(EkuPolicy.LENIENT);
            assertThat(config.sourceOf("inbound.eku")).isEqualTo("agent argument inbound.eku");
            assertThat(config.logHandshakes()).isTrue();
            assertThat(config.reloadSeconds()).isEqualTo(10);
            assertThat(config.sourceOf("log.handshakes")).contains("config file " + file).contains("log.handshakes");
            assertThat(config.get("config")).isEqualTo(file.toString());
        }

        @Test
        void configFileCannotNameAnotherConfigFile(@TempDir Path dir) throws IOException {
            Path file = properties(dir.resolve("eku.properties"), "config=/etc/other.properties");

            EkuBridgeException e = thrownBy(Reason.BAD_VALUE, () -> EkuBridgeConfig.load("config=" + file, NONE, NONE));
            assertThat(e.getMessage()).contains("config file " + file);
        }

        @Test
        void missingConfigFileIsUnreadable(@TempDir Path dir) {
            Path file = dir.resolve("absent.properties");

            EkuBridgeException e = thrownBy(Reason.UNREADABLE_FILE,
                () -> EkuBridgeConfig.load(null, map("ekubridge.config", file.toString()), NONE));
            assertThat(e.getMessage()).contains(file.toString()).contains("config").contains("system property -Dekubridge.config");
        }

        @Test
        void environmentNameMapping() {
            assertThat(EkuBridgeConfig.environmentName("server.password.env")).isEqualTo("EKUBRIDGE_SERVER_PASSWORD_ENV");
            assertThat(EkuBridgeConfig.environmentName("inbound.eku")).isEqualTo("EKUBRIDGE_INBOUND_EKU");
            assertThat(EkuBridgeConfig.environmentName("truststore.pem")).isEqualTo("EKUBRIDGE_TRUSTSTORE_PEM");
            assertThat(EkuBridgeConfig.environmentName("a-b.c")).isEqualTo("EKUBRIDGE_A_B_C");

            // every key can be set from its variable, and comes back under its dotted name
            Map<String, String> environment = new HashMap<>();
            for (String key : EkuBridgeConfig.KEYS) {
                environment.put(EkuBridgeConfig.environmentName(key), "v");
            }
            assertThat(environment).hasSize(EkuBridgeConfig.KEYS.size());

            EkuBridgeConfig config = EkuBridgeConfig.load(null, NONE,
                map("EKUBRIDGE_SERVER_KEYSTORE", "/a.p12", "EKUBRIDGE_SERVER_PASSWORD_ENV", "MY_PW"));
            assertThat(config.get("server.password.env")).isEqualTo("MY_PW");
            assertThat(config.sourceOf("server.password.env")).isEqualTo("environment variable EKUBRIDGE_SERVER_PASSWORD_ENV");
            assertThat(config.hasIdentity(Role.SERVER)).isTrue();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // fromConfig
    // ------------------------------------------------------------------------------------------------

    @Nested
    class FromConfig {
        private void assertOpensServerStore(EkuBridgeConfig config) {
            EkuBridge bridge = EkuBridge.fromConfig(config);
            assertThat(bridge.keyManager().identities(Role.SERVER)).extracting(Identity::serial).containsExactly(SERVER.serial());
            assertThat(bridge.keyManager().identities(Role.SERVER).get(0).name()).isEqualTo("sip");
        }

        @Test
        void passwordInline(@TempDir Path dir) {
            Path store = serverStore(dir);

            assertOpensServerStore(EkuBridgeConfig.load("server.keystore=" + store + ",server.password=" + PASSWORD, NONE, NONE));
            assertOpensServerStore(EkuBridgeConfig.of(map("server.keystore", store.toString(), "server.password", PASSWORD), "map"));
        }

        @Test
        void passwordFromEnvironmentVariable(@TempDir Path dir) {
            Path store = serverStore(dir);

            assertOpensServerStore(EkuBridgeConfig.load(null, NONE, map("EKUBRIDGE_SERVER_KEYSTORE", store.toString(),
                "EKUBRIDGE_SERVER_PASSWORD_ENV", "SIP_STORE_PASSWORD", "SIP_STORE_PASSWORD", PASSWORD)));
            assertOpensServerStore(EkuBridgeConfig.load("server.keystore=" + store + ",server.password.env=SIP_STORE_PASSWORD",
                NONE, map("SIP_STORE_PASSWORD", PASSWORD)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "\n", "\r\n", "\n\n"})
        void passwordFromFile(String lineEnd, @TempDir Path dir) throws IOException {
            Path store = serverStore(dir);
            Path passwordFile = Files.writeString(dir.resolve("store.pw"), PASSWORD + lineEnd);

            assertOpensServerStore(EkuBridgeConfig.load("server.keystore=" + store + ",server.password.file=" + passwordFile, NONE, NONE));
        }

        @Test
        void wrongPasswordNamesTheKeyItsSourceAndTheFile(@TempDir Path dir) throws IOException {
            Path store = serverStore(dir);
            Path passwordFile = Files.writeString(dir.resolve("store.pw"), "not-" + PASSWORD + "\n");

            EkuBridgeException e = thrownBy(Reason.WRONG_PASSWORD, () -> EkuBridge.fromConfig(EkuBridgeConfig.load(null,
                map("ekubridge.server.keystore", store.toString(), "ekubridge.server.password.file", passwordFile.toString()), NONE)));
            assertThat(e.getMessage()).contains("server.keystore " + store).contains("system property -Dekubridge.server.keystore")
                .doesNotContain(PASSWORD);
        }

        @Test
        void missingPasswordFile(@TempDir Path dir) {
            Path store = serverStore(dir);
            Path passwordFile = dir.resolve("absent.pw");

            EkuBridgeException e = thrownBy(Reason.UNREADABLE_FILE, () -> EkuBridge.fromConfig(EkuBridgeConfig.load(
                "server.keystore=" + store + ",server.password.file=" + passwordFile, NONE, NONE)));
            assertThat(e.getMessage()).contains("server.password.file").contains(passwordFile.toString());
        }

        @Test
        void pemIdentityPemTrustAndLenientPolicy(@TempDir Path dir) {
            Path cert = Pem.writeChain(dir.resolve("server.crt"), SERVER.chain());
            Path key = Pem.writePkcs1OrSec1(dir.resolve("server.key"), SERVER.privateKey());
            Path trust = Pem.writeChain(dir.resolve("trust.pem"), ROOT.certificate());

            EkuBridge bridge = EkuBridge.fromConfig(EkuBridgeConfig.load(null, map(
                "ekubridge.server.cert", cert.toString(), "ekubridge.server.key", key.toString(),
                "ekubridge.truststore.pem", trust.toString(), "ekubridge.inbound.eku", "lenient"), NONE));

            assertThat(bridge.trustManager().policy()).isEqualTo(EkuPolicy.LENIENT);
            assertThat(bridge.keyManager().identities(Role.SERVER)).hasSize(1);
            Identity identity = bridge.keyManager().identities(Role.SERVER).get(0);
            assertThat(identity.serial()).isEqualTo(SERVER.serial());
            assertThat(identity.source()).contains("server.cert " + cert).contains("server.key " + key);
            assertThat(bridge.trustManager().getAcceptedIssuers()).containsExactly(ROOT.certificate());
            // upgrade default: no client identity configured, so the client role presents the server identity
            assertThat(bridge.keyManager().identities(Role.CLIENT)).containsExactly(identity);
        }

        @Test
        void separateClientIdentityAndClientIdentityServer(@TempDir Path dir) {
            Path store = serverStore(dir);
            Path clientCert = Pem.writeChain(dir.resolve("client.crt"), CLIENT.chain());
            Path clientKey = Pem.writePkcs8(dir.resolve("client.key"), CLIENT.privateKey());

            EkuBridge separate = EkuBridge.fromConfig(EkuBridgeConfig.of(map("server.keystore", store.toString(),
                "server.password", PASSWORD, "client.cert", clientCert.toString(), "client.key", clientKey.toString()), "m"));
            EkuBridge same = EkuBridge.fromConfig(EkuBridgeConfig.of(map("server.keystore", store.toString(),
                "server.password", PASSWORD, "client.identity", "server"), "m"));

            assertThat(separate.keyManager().identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(CLIENT.serial());
            assertThat(same.keyManager().identities(Role.CLIENT)).extracting(Identity::serial).containsExactly(SERVER.serial());
            assertThat(same.trustManager().policy()).isEqualTo(EkuPolicy.STRICT);
        }

        @Test
        void refusedIdentityNamesTheConfigurationKey(@TempDir Path dir) {
            Path clientStore = TestPki.writeJks(dir.resolve("client.jks"), PASSWORD.toCharArray(), Map.of("mtls", SERVER));

            EkuBridgeException e = thrownBy(Reason.MISSING_EKU, () -> EkuBridge.fromConfig(EkuBridgeConfig.load(
                "client.keystore=" + clientStore + ",client.password=" + PASSWORD, NONE, NONE)));
            assertThat(e.getMessage()).contains("client.keystore " + clientStore).contains("agent argument client.keystore")
                .contains("client.identity=server");
        }

        @Test
        void badInputLeavesNothingHalfBuilt(@TempDir Path dir) throws IOException {
            Path store = serverStore(dir);
            Path clientCert = Pem.writeChain(dir.resolve("client.crt"), CLIENT.chain());
            Path wrongKey = Pem.writePkcs8(dir.resolve("client.key"), ROOT.privateKey());
            Path emptyTrust = Files.writeString(dir.resolve("trust.pem"), "no certificates here\n");
            List<String> providersBefore = providerNames();
            Map<String, String> good = map("server.keystore", store.toString(), "server.password", PASSWORD);

            // the server part is good, the client key is not: the whole configuration is refused
            Map<String, String> badClient = new LinkedHashMap<>(good);
            badClient.put("client.cert", clientCert.toString());
            badClient.put("client.key", wrongKey.toString());
            EkuBridgeException mismatch = thrownBy(Reason.KEY_MISMATCH, () -> EkuBridge.fromConfig(EkuBridgeConfig.of(badClient, "m")));
            assertThat(mismatch.getMessage()).contains("client.cert " + clientCert).contains("client.key " + wrongKey);

            // identities are good, the trust anchors are not
            Map<String, String> badTrust = new LinkedHashMap<>(good);
            badTrust.put("truststore.pem", emptyTrust.toString());
            EkuBridgeException noAnchors = thrownBy(Reason.UNKNOWN_FORMAT,
                () -> EkuBridge.fromConfig(EkuBridgeConfig.of(badTrust, "m")));
            assertThat(noAnchors.getMessage()).contains("truststore.pem " + emptyTrust);

            // an invalid configuration is refused before any file is read
            EkuBridgeException invalid = thrownBy(Reason.CONFLICTING_KEYS,
                () -> EkuBridgeConfig.load("server.keystore=" + store + ",server.cert=/nonexistent",
                    NONE, NONE));

            // nothing global changed (no JCA provider registered), and the good part still builds on its own
            assertThat(providerNames()).isEqualTo(providersBefore);
            assertThat(EkuBridge.fromConfig(EkuBridgeConfig.of(good, "m")).keyManager().identities(Role.SERVER)).hasSize(1);
        }

        private List<String> providerNames() {
            return Arrays.stream(Security.getProviders()).map(Provider::getName).collect(java.util.stream.Collectors.toList());
        }

        @Test
        void unknownTruststoreFormat(@TempDir Path dir) throws IOException {
            Path trust = Files.writeString(dir.resolve("trust.p12"), "-----BEGIN CERTIFICATE-----\n");

            EkuBridgeException e = thrownBy(Reason.UNKNOWN_FORMAT,
                () -> EkuBridge.fromConfig(EkuBridgeConfig.of(map("truststore", trust.toString()), "m")));
            assertThat(e.getMessage()).contains("truststore " + trust).contains("it is PEM");
        }

        @Test
        void keystoreTruststoreWithPassword(@TempDir Path dir) {
            Path store = serverStore(dir);
            Path trust = TestPki.writeTrustStore(dir.resolve("trust.jks"), "JKS", "trust-pw".toCharArray(), ROOT.certificate());

            EkuBridge bridge = EkuBridge.fromConfig(EkuBridgeConfig.of(map("server.keystore", store.toString(),
                "server.password", PASSWORD, "truststore", trust.toString(), "truststore.password", "trust-pw",
                "inbound.eku", "server-auth"), "m"));

            assertThat(bridge.trustManager().getAcceptedIssuers()).containsExactly(ROOT.certificate());
            assertThat(bridge.trustManager().policy()).isEqualTo(EkuPolicy.SERVER_AUTH);
        }
    }
}
