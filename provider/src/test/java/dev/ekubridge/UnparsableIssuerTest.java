package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.security.KeyStore;
import java.security.Principal;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An acceptable-issuer list may hold principals that are not X.500 names, or whose name does not parse
 * (an application or framework calling the key manager itself, a {@code Principal} whose {@code getName()}
 * is "not a DN" or {@code null}). The JDK's key managers skip such entries; so does ours, in every callback,
 * instead of throwing out of the handshake: an entry that is no X.500 name is skipped, and a list of only such
 * entries restricts nothing, as with SunX509 (the JDK's default key manager), which is the oracle here.
 */
class UnparsableIssuerTest {
    private static final Ca CA = TestPki.root("Unparsable Issuer CA", KeyKind.EC_P256);
    private static final Ca OTHER = TestPki.root("Unparsable Issuer Other CA", KeyKind.EC_P256);
    private static final Issued BOTH = CA.leaf("both.example").eku(LeafEku.BOTH).issue();

    private static final Principal NOT_A_DN = () -> "not a DN";
    private static final Principal NULL_NAME = () -> null;
    private static final Principal EMPTY_NAME = () -> "";

    private static RoleAwareKeyManager ours() {
        Identity identity = Identity.of("both", "test", BOTH.privateKey(), BOTH.chain());
        return EkuBridge.builder().serverIdentity(identity).clientIdentity(identity).trustStore(TestPki.trustStore(CA.certificate()))
            .build().keyManager();
    }

    private static X509ExtendedKeyManager jdk(String algorithm) throws Exception {
        KeyStore store = TestPki.keyStore("PKCS12", "pw".toCharArray(), Map.of("both", BOTH));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(algorithm);
        factory.init(store, "pw".toCharArray());
        return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
    }

    static Stream<Arguments> issuerLists() {
        X500Principal ca = CA.certificate().getSubjectX500Principal();
        X500Principal other = OTHER.certificate().getSubjectX500Principal();
        // the last column: whether SunX509 (the JDK's default key manager) answers too; it throws
        // NullPointerException for a null entry or a null name
        return Stream.of(
            Arguments.of("only 'not a DN'", new Principal[] {NOT_A_DN}, true, true),
            Arguments.of("only a null name", new Principal[] {NULL_NAME}, true, false),
            // "" is the empty DN, which parses: an issuer that no certificate has
            Arguments.of("only an empty name", new Principal[] {EMPTY_NAME}, false, true),
            Arguments.of("a null entry", new Principal[] {null}, true, false),
            Arguments.of("not a DN, then our CA", new Principal[] {NOT_A_DN, ca}, true, true),
            Arguments.of("not a DN, then another CA", new Principal[] {NOT_A_DN, other}, false, true),
            Arguments.of("a null name and a null entry, then our CA", new Principal[] {NULL_NAME, null, ca}, true, false),
            Arguments.of("our CA by a non-X500 principal with its DN", new Principal[] {ca::getName}, true, true),
            Arguments.of("another CA by a non-X500 principal", new Principal[] {other::getName}, false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("issuerLists")
    void unparsableIssuersAreSkippedAsTheJdkSkipsThem(String name, Principal[] issuers, boolean matches, boolean sunX509Answers)
            throws Exception {
        RoleAwareKeyManager km = ours();
        String[] types = {"EC"};

        assertThat(km.chooseServerAlias("EC", issuers, null) != null).as("chooseServerAlias").isEqualTo(matches);
        assertThat(km.chooseEngineServerAlias("EC", issuers, null) != null).as("chooseEngineServerAlias").isEqualTo(matches);
        assertThat(km.chooseClientAlias(types, issuers, null) != null).as("chooseClientAlias").isEqualTo(matches);
        assertThat(km.chooseEngineClientAlias(types, issuers, null) != null).as("chooseEngineClientAlias").isEqualTo(matches);
        assertThat(km.getServerAliases("EC", issuers) != null).as("getServerAliases").isEqualTo(matches);
        assertThat(km.getClientAliases("EC", issuers) != null).as("getClientAliases").isEqualTo(matches);

        // SunX509, the JDK's default key manager, over the same identity, agrees. (PKIX compares the
        // principals by equals(), so a non-X500 principal never matches and never throws there either.)
        if (sunX509Answers) {
            X509ExtendedKeyManager jdk = jdk("SunX509");
            assertThat(jdk.chooseServerAlias("EC", issuers, null) != null).as("SunX509 chooseServerAlias").isEqualTo(matches);
            assertThat(jdk.chooseClientAlias(types, issuers, null) != null).as("SunX509 chooseClientAlias").isEqualTo(matches);
        }
    }
}
