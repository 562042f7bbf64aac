package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testing.LogCapture;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.Handshake;
import dev.ekubridge.testsupport.tls.HandshakeResult;
import dev.ekubridge.testsupport.tls.Jsse;
import dev.ekubridge.testing.RecordingTrustManager;
import java.lang.management.ManagementFactory;
import java.security.cert.X509Certificate;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The counters behind the MBean, from real handshakes: each verdict is counted once, in its own counter; the MBean
 * reads them on the platform MBean server; counting allocates nothing on the handshake path.
 */
class BridgeManagementTest {
    private static final Ca CA = TestPki.root("Management CA", KeyKind.EC_P256);
    private static final Ca UNTRUSTED = TestPki.root("Management Untrusted CA", KeyKind.EC_P256);
    private static final Issued SERVER = CA.leaf(Handshake.PEER_HOST).eku(LeafEku.SERVER_AUTH).dnsNames(Handshake.PEER_HOST).issue();
    private static final Issued BOTH = CA.leaf("both").eku(LeafEku.BOTH).issue();
    private static final Issued SERVER_AUTH_ONLY = CA.leaf("server-auth-only").eku(LeafEku.SERVER_AUTH).issue();
    private static final Issued CODE_SIGNING = CA.leaf("code-signing").eku(LeafEku.CODE_SIGNING).issue();
    private static final Issued STRANGER = UNTRUSTED.leaf("stranger").eku(LeafEku.BOTH).issue();

    private static EkuBridge bridge(EkuPolicy mode) {
        return EkuBridge.builder().serverIdentity(Identity.of("edge", "test", SERVER.privateKey(), SERVER.chain()))
                .trustStore(TestPki.trustStore(CA.certificate())).inboundEku(mode).build();
    }

    /** A peer client presenting {@code peer} to the bridge's server side. */
    private static HandshakeResult connect(EkuBridge bridge, Issued peer) throws Exception {
        SSLContext client = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(peer)},
                new TrustManager[] {Jsse.SUN.trustManager("PKIX", TestPki.trustStore(CA.certificate()))});
        return Handshake.run(client, bridge.sslContext("TLS"), "TLSv1.3", true);
    }

    @Test
    void everyVerdictIsCountedOnceInItsOwnCounterAndTheMBeanReadsThem() throws Exception {
        EkuBridge lenient = bridge(EkuPolicy.LENIENT);
        assertThat(connect(lenient, BOTH).succeeded()).isTrue();
        assertThat(connect(lenient, SERVER_AUTH_ONLY).succeeded()).isTrue();
        assertThat(connect(lenient, CODE_SIGNING).succeeded()).isFalse();
        assertThat(connect(lenient, STRANGER).succeeded()).isFalse();
        // and as a client: we connect to a server whose certificate the bridge trusts
        SSLContext server = Jsse.SUN.context(new KeyManager[] {TestPki.fixedKeyManager(SERVER)},
                new TrustManager[] {Jsse.SUN.trustManager("PKIX", TestPki.trustStore(CA.certificate()))});
        assertThat(Handshake.run(lenient.sslContext("TLS"), server, "TLSv1.3", false).succeeded()).isTrue();

        ObjectName name = lenient.registerMBean();
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            assertThat(name.toString()).startsWith("dev.ekubridge:type=EkuBridge");
            assertThat(mbeans.getAttribute(name, "InboundAccepted")).isEqualTo(1L);
            assertThat(mbeans.getAttribute(name, "InboundAcceptedOnlyBecauseRelaxed")).isEqualTo(1L);
            assertThat(mbeans.getAttribute(name, "InboundRefusedByEkuRule")).isEqualTo(1L);
            assertThat(mbeans.getAttribute(name, "InboundRefusedByTrustManager")).isEqualTo(1L);
            assertThat(mbeans.getAttribute(name, "InboundAuditWouldRefuse")).isEqualTo(0L);
            assertThat(mbeans.getAttribute(name, "OutboundAccepted")).isEqualTo(1L);
            assertThat(mbeans.getAttribute(name, "InboundEku")).isEqualTo("inbound.eku=lenient");
            // the client role presents the server identity too (the upgrade default): the same alias in both roles
            assertThat((String[]) mbeans.getAttribute(name, "Identities")).hasSize(2)
                    .anySatisfy(line -> assertThat(line).startsWith("server role: 'edge' subject \"CN=" + Handshake.PEER_HOST)
                            .contains("serial " + SERVER.serialHex()).contains(" not after 20"))
                    .anySatisfy(line -> assertThat(line).startsWith("client role: 'edge' subject"));

            mbeans.invoke(name, "resetCounters", null, null);
            assertThat(mbeans.getAttribute(name, "InboundAccepted")).isEqualTo(0L);
        } finally {
            mbeans.unregisterMBean(name);
        }
    }

    /** With log.handshakes, an inbound decision also names what we presented: our alias and serial. */
    @Test
    void theDecisionLogNamesOurPresentedAliasAndSerial() {
        EkuBridge bridge = EkuBridge.builder().serverIdentity(Identity.of("edge", "test", SERVER.privateKey(), SERVER.chain()))
                .trustStore(TestPki.trustStore(CA.certificate())).inboundEku(EkuPolicy.LENIENT).logHandshakes(true).build();
        LogCapture.Captured<Boolean> run = LogCapture.capture(() -> {
            try {
                return connect(bridge, SERVER_AUTH_ONLY).succeeded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(run.result()).isTrue();
        assertThat(run.text()).containsPattern("ekubridge.handshakes - inbound peer subject \"CN=server-auth-only\" serial "
                + SERVER_AUTH_ONLY.serialHex() + " with serverAuth: accepted \\(serverAuth instead of clientAuth\\) "
                + "\\(inbound.eku=lenient\\); we presented 'edge' serial " + SERVER.serialHex());
    }

    @Test
    void auditCountsWhatStrictWouldRefuse() throws Exception {
        EkuBridge audit = bridge(EkuPolicy.AUDIT);
        assertThat(connect(audit, SERVER_AUTH_ONLY).succeeded()).isTrue();
        assertThat(audit.trustManager().auditedCount()).isEqualTo(1);
        assertThat(new BridgeManagement(audit).getInboundAuditWouldRefuse()).isEqualTo(1);
        assertThat(new BridgeManagement(audit).getInboundAcceptedOnlyBecauseRelaxed()).isZero();
    }

    @Test
    void aSecondBridgeInTheSameJvmGetsItsOwnName() {
        ObjectName first = bridge(EkuPolicy.STRICT).registerMBean();
        ObjectName second = bridge(EkuPolicy.STRICT).registerMBean();
        try {
            assertThat(second).isNotEqualTo(first);
            assertThat(second.toString()).startsWith("dev.ekubridge:type=EkuBridge,name=");
        } finally {
            unregister(first);
            unregister(second);
        }
    }

    private static void unregister(ObjectName name) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decision path with counting, over a delegate that does nothing: no allocation per handshake. */
    @Test
    void countingAllocatesNothing() throws Exception {
        EkuBridge bridge = EkuBridge.builder().trustManager(RecordingTrustManager.acceptingEverything()).inboundEku(EkuPolicy.STRICT).build();
        EkuPolicyTrustManager policy = bridge.trustManager();
        X509Certificate[] chain = BOTH.chain(); // serverAuth and clientAuth: accepted both ways
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 50_000; i++) {
            policy.checkClientTrusted(chain, "EC", (SSLEngine) null);
            policy.checkServerTrusted(chain, "EC", (SSLEngine) null);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 200_000; i++) {
            policy.checkClientTrusted(chain, "EC", (SSLEngine) null);
            policy.checkServerTrusted(chain, "EC", (SSLEngine) null);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by 400,000 counted decisions").isLessThan(65_536);
        BridgeManagement view = new BridgeManagement(bridge);
        assertThat(view.getInboundAccepted()).isEqualTo(250_000);
        assertThat(view.getOutboundAccepted()).isEqualTo(250_000);
    }
}
