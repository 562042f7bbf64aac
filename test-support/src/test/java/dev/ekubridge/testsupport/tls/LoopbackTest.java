package dev.ekubridge.testsupport.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The loopback exchange over real sockets, with SunJSSE: the JDK's own EKU check is what refuses. */
class LoopbackTest {
    private static final Ca ROOT = TestPki.root("Loopback Root", KeyKind.EC_P256);

    private static SSLContext context(Issued identity) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(TestPki.trustStore(ROOT.certificate()));
        TrustManager[] trust = tmf.getTrustManagers();
        return Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(identity)}, trust);
    }

    @Test
    void aDualEkuCertificateGoesBothWaysAndEachSideSeesTheOthersSerial() throws Exception {
        Issued both = ROOT.leaf("both").eku(LeafEku.BOTH).issue();
        SSLContext context = context(both);

        Loopback.Exchange exchange = Loopback.run(context, context);

        assertThat(exchange.ok()).as(exchange.toString()).isTrue();
        assertThat(exchange.reply()).isEqualTo("echo hello");
        assertThat(exchange.serverSawClient()).isEqualTo(both.serialHex());
        assertThat(exchange.clientSawServer()).isEqualTo(both.serialHex());
        assertThat(exchange.clientPresented()).isEqualTo(both.serialHex());
        assertThat(exchange.protocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void aServerAuthOnlyClientIsRefusedByTheServerAndTheExchangeSaysWhy() throws Exception {
        Issued server = ROOT.leaf("server").eku(LeafEku.SERVER_AUTH).issue();

        Loopback.Exchange exchange = Loopback.run(context(server), context(server));

        assertThat(exchange.ok()).as(exchange.toString()).isFalse();
        assertThat(exchange.serverSawClient()).isNull();
        assertThat(exchange.serverFailure()).as(exchange.toString()).contains("Extended key usage does not permit use for TLS client authentication");
        assertThat(exchange.clientFailure()).as(exchange.toString()).isNotNull();
    }
}
