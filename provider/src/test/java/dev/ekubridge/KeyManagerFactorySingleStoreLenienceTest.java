package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;

/**
 * {@code KeyManagerFactory.EkuBridge} in single-store mode is as lenient as the JDK's key managers: the JDK
 * default context hands it an empty store when {@code javax.net.ssl.keyStore} is not set, and a store may hold
 * entries that no key manager can use. A wrong key password still fails.
 */
class KeyManagerFactorySingleStoreLenienceTest {

    private static final char[] PASSWORD = "single-store".toCharArray();
    private static final Ca ROOT = TestPki.root("Single Store Root", KeyKind.EC_P256);
    private static final Issued GOOD = ROOT.leaf("good").eku(LeafEku.BOTH).issue();

    private static KeyStore emptyLoadedPkcs12() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static X509KeyManager init(KeyStore store, char[] password) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("EkuBridge", new EkuBridgeProvider());
        factory.init(store, password);
        KeyManager[] managers = factory.getKeyManagers();
        assertThat(managers).hasSize(1);
        assertThat(managers[0]).isInstanceOf(X509KeyManager.class);
        return (X509KeyManager) managers[0];
    }

    /** The good entry plus one whose private key does not belong to its certificate (sorted first). */
    private static KeyStore goodAndMismatched() throws Exception {
        KeyStore store = emptyLoadedPkcs12();
        // a fresh key: the test PKI pools leaf keys, so another leaf's key could be this leaf's own
        store.setKeyEntry("a-mismatched", KeyKind.EC_P256.freshKeyPair().getPrivate(), PASSWORD, GOOD.chain());
        store.setKeyEntry("b-good", GOOD.privateKey(), PASSWORD, GOOD.chain());
        return store;
    }

    @Test
    void anEmptyStoreInitialisesAndTheKeyManagerChoosesNothing() throws Exception {
        X509KeyManager manager = init(emptyLoadedPkcs12(), PASSWORD);

        for (String keyType : new String[] {"EC", "RSA"}) {
            assertThat(manager.chooseServerAlias(keyType, null, null)).as(keyType).isNull();
            assertThat(manager.getServerAliases(keyType, null)).as(keyType).isNullOrEmpty();
            assertThat(manager.getClientAliases(keyType, null)).as(keyType).isNullOrEmpty();
        }
        assertThat(manager.chooseClientAlias(new String[] {"EC", "RSA"}, null, null)).isNull();
    }

    @Test
    void aMismatchedEntryIsSkippedAndTheGoodOneIsServedInBothRoles() throws Exception {
        KeyStore store = goodAndMismatched();
        assertThat(store.isKeyEntry("a-mismatched")).as("the JDK store accepted the mismatched entry").isTrue();

        X509KeyManager manager = init(store, PASSWORD);

        String server = manager.chooseServerAlias("EC", null, null);
        String client = manager.chooseClientAlias(new String[] {"EC"}, null, null);
        assertThat(server).isNotNull();
        assertThat(client).isNotNull();
        for (String alias : new String[] {server, client}) {
            assertThat(manager.getCertificateChain(alias)).containsExactly(GOOD.chain());
            assertThat(manager.getPrivateKey(alias)).isEqualTo(GOOD.privateKey());
        }
        assertThat(manager.getServerAliases("EC", null)).hasSize(1);
    }

    @Test
    void aSecretKeyEntryIsSkippedToo() throws Exception {
        KeyStore store = emptyLoadedPkcs12();
        store.setEntry("a-secret", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "AES")),
                new KeyStore.PasswordProtection(PASSWORD));
        store.setKeyEntry("b-good", GOOD.privateKey(), PASSWORD, GOOD.chain());
        assertThat(store.isKeyEntry("a-secret")).isTrue();

        X509KeyManager manager = init(store, PASSWORD);

        String alias = manager.chooseServerAlias("EC", null, null);
        assertThat(alias).isNotNull();
        assertThat(manager.getCertificateChain(alias)[0]).isEqualTo(GOOD.certificate());
    }

    @Test
    void aWrongKeyPasswordStillThrowsUnrecoverableKeyException() throws Exception {
        KeyStore onlyGood = TestPki.keyStore("PKCS12", PASSWORD, "good", GOOD);
        assertThatThrownBy(() -> init(onlyGood, "wrong".toCharArray())).isInstanceOf(UnrecoverableKeyException.class);

        // not mistaken for an unusable entry and skipped: the password is wrong for every entry
        KeyStore withMismatched = goodAndMismatched();
        assertThatThrownBy(() -> init(withMismatched, "wrong".toCharArray())).isInstanceOf(UnrecoverableKeyException.class);
    }

    @Test
    void controlTheJdkKeyManagerFactoryIsEquallyLenientWithTheEmptyStore() throws Exception {
        KeyManagerFactory jdk = KeyManagerFactory.getInstance("SunX509");
        jdk.init(emptyLoadedPkcs12(), PASSWORD);
        X509KeyManager manager = (X509KeyManager) jdk.getKeyManagers()[0];
        assertThat(manager.chooseServerAlias("EC", null, null)).isNull();
        Certificate[] none = manager.getCertificateChain("anything");
        assertThat(none).isNull();
    }
}
