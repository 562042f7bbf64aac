package dev.ekubridge.it;

import dev.ekubridge.it.support.Pki;
import dev.ekubridge.it.support.Pki.Leaf;
import dev.ekubridge.it.support.Pki.Usage;
import dev.ekubridge.it.support.SipNodeProcess;
import dev.ekubridge.it.support.SipNodeProcess.AppTls;
import dev.ekubridge.it.support.Variant;
import dev.ekubridge.it.support.Work;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;

/**
 * The PKI of a test class in which unmodified JAIN-SIP nodes meet one kind of external peer ({@link KamailioIT},
 * {@link OpenSslIT}): the internal CA1 and the public CA2, trusted by everybody ({@link #trust}), and the node's
 * certificates: {@link #nodeServer} (CA2, serverAuth only), the application's one key store, and
 * {@link #nodeClient} (CA1, clientAuth and serverAuth), the client identity the operator may give the agent. The
 * peer's certificates are the test class's own, from {@link #ca1} and {@link #ca2}.
 */
final class SipNodePki {
    final Pki.Ca ca1;
    final Pki.Ca ca2;
    final Pki.TrustFiles trust;
    final Leaf nodeServer;
    final Leaf nodeClient;

    SipNodePki(String testClass) {
        Pki pki = new Pki(Work.dir(testClass, "pki"));
        ca1 = pki.ca("CA1 internal");
        ca2 = pki.ca("CA2 public");
        trust = pki.trust("trust-ca1-ca2", ca1, ca2);
        nodeServer = ca2.leaf("node-server", "core.example.com", Usage.SERVER_AUTH_ONLY);
        nodeClient = ca1.leaf("node-client", "core.example.com", Usage.CLIENT_AND_SERVER_AUTH);
    }

    /** The application's own TLS configuration: {@link #nodeServer} for both roles, {@link #trust}. */
    AppTls app() {
        return new AppTls(nodeServer.p12(), trust.p12());
    }

    /**
     * Starts a node (not waiting for it) under the agent, with {@link #nodeServer} as its server identity and
     * {@code clientIdentity} as its client identity (null: {@code client.identity=server}); {@code udp} adds a UDP
     * listener (for requests relayed by a proxy).
     */
    SipNodeProcess startNode(Processes processes, Path dir, String name, Variant variant, Leaf clientIdentity, String inboundEku,
            boolean udp) {
        return SipNodeProcess.start(processes, dir, name, variant, app(), SipNodeProcess.agent(nodeServer, clientIdentity, inboundEku), udp);
    }
}
