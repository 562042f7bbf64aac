package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuPolicy;
import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import dev.ekubridge.testsupport.tls.HandshakeLoop;
import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** The variants {@link InterleavedHandshakes} compares, per group: their PKI, managers and contexts, built and checked. */
final class HandshakeVariants {
    static final String BRIDGE = "dev.ekubridge.agent.bootstrap.SslContextBridge";
    static final String[] HOOKS = {"keyManagerHook", "trustManagerHook", "factoryTrustManagerHook"};

    private HandshakeVariants() {
    }

    /** The engine's own managers (the baseline) against EKU Bridge in each inbound mode. */
    static List<Variant> managerVariants(KeyKind kind, Provider provider, String protocol) throws Exception {
        Pki pki = Pki.issue("Interleaved Root " + kind, kind);
        Issued server = pki.server();
        Issued client = pki.client();
        KeyStore trustStore = pki.trustStore();
        List<Variant> variants = new ArrayList<>();
        variants.add(jdk("JDK", provider, server, client, trustStore));
        variants.add(ekuBridge("EKU_BRIDGE_STRICT", provider, server, client, false, trustStore, EkuPolicy.STRICT));
        variants.add(ekuBridge("EKU_BRIDGE_LENIENT", provider, server, client, false, trustStore, EkuPolicy.LENIENT));
        variants.add(ekuBridge("EKU_BRIDGE_LENIENT_RELAXED", provider, server, pki.serverAuthOnlyClient(), true, trustStore,
            EkuPolicy.LENIENT));
        variants.add(ekuBridge("EKU_BRIDGE_AUDIT", provider, server, client, false, trustStore, EkuPolicy.AUDIT));
        variants.add(ekuBridge("EKU_BRIDGE_SERVER_AUTH", provider, server, client, false, trustStore, EkuPolicy.SERVER_AUTH));
        return variants;
    }

    private static Variant jdk(String name, Provider provider, Issued server, Issued client, KeyStore trustStore)
            throws GeneralSecurityException {
        SSLContext serverContext = context(provider, keyManagers(provider, server, "server"), trustManagers(trustStore));
        SSLContext clientContext = context(provider, keyManagers(provider, client, "client"), trustManagers(trustStore));
        return new Variant(name, clientContext, serverContext, client.certificate());
    }

    private static Variant ekuBridge(String name, Provider provider, Issued server, Issued client, boolean clientIsServerAuthOnly,
            KeyStore trustStore, EkuPolicy policy) throws GeneralSecurityException {
        EkuBridge serverSide = EkuBridge.builder().serverIdentity(Bench.identity(server, "server")).clientUsesServerIdentity()
            .trustStore(trustStore).inboundEku(policy).build();
        EkuBridge.Builder clientBuilder = EkuBridge.builder().trustStore(trustStore).inboundEku(policy);
        if (clientIsServerAuthOnly) {
            clientBuilder.serverIdentity(Bench.identity(client, "client")).clientUsesServerIdentity();
        } else {
            clientBuilder.clientIdentity(Bench.identity(client, "client"));
        }
        EkuBridge clientSide = clientBuilder.build();
        SSLContext serverContext = context(provider, new KeyManager[] {serverSide.keyManager()},
            new TrustManager[] {serverSide.trustManager()});
        SSLContext clientContext = context(provider, new KeyManager[] {clientSide.keyManager()},
            new TrustManager[] {clientSide.trustManager()});
        return new Variant(name, clientContext, serverContext, client.certificate());
    }

    /**
     * The JDK managers and contexts twice: built with the agent's hooks switched off (what the application would have
     * without the agent) and on (what the agent makes of it). Verified: the retrofitted server accepts a serverAuth-only
     * client (the agent runs lenient), the plain one refuses it.
     */
    static List<Variant> agentVariants(KeyKind kind, Provider provider, String protocol) throws Exception {
        Pki pki = Pki.issue("Interleaved Agent Root " + kind, kind);
        Issued server = pki.server();
        Issued client = pki.client();
        Issued serverAuthOnlyClient = pki.serverAuthOnlyClient();
        KeyStore trustStore = pki.trustStore();
        Variant plain = withoutHooks(() -> jdk("NO_AGENT", provider, server, client, trustStore));
        Variant retrofitted = jdk("AGENT", provider, server, client, trustStore);
        HandshakeLoop loop = new HandshakeLoop(protocol);
        // the serverAuth-only client presents its certificate through EKU Bridge's key manager: BCJSSE's own key
        // manager would not offer a certificate without clientAuth as a client certificate
        EkuBridge relaxedClientSide = EkuBridge.builder().serverIdentity(Bench.identity(serverAuthOnlyClient, "client"))
            .clientUsesServerIdentity().trustStore(trustStore).build();
        SSLContext relaxedClient = withoutHooks(() -> context(provider, new KeyManager[] {relaxedClientSide.keyManager()},
            trustManagers(trustStore)));
        Variant plainRelaxed = new Variant("check", relaxedClient, plain.server(), serverAuthOnlyClient.certificate());
        Variant retrofittedRelaxed = new Variant("check", relaxedClient, retrofitted.server(), serverAuthOnlyClient.certificate());
        if (!retrofittedRelaxed.accepted(loop) || plainRelaxed.accepted(loop)) {
            throw new IllegalStateException("the agent's retrofit is not what it should be: with its hooks a serverAuth-only client was "
                + (retrofittedRelaxed.accepted(loop) ? "accepted" : "refused") + ", without them "
                + (plainRelaxed.accepted(loop) ? "accepted" : "refused") + " (expected: accepted, refused)");
        }
        return List.of(plain, retrofitted);
    }

    /** Runs {@code action} with the agent's hooks set to null, restoring them after. */
    static <T> T withoutHooks(Callable<T> action) throws Exception {
        Class<?> bridge = Class.forName(BRIDGE, false, null);
        Field[] fields = new Field[HOOKS.length];
        Object[] saved = new Object[HOOKS.length];
        synchronized (bridge) {
            for (int i = 0; i < HOOKS.length; i++) {
                fields[i] = bridge.getField(HOOKS[i]);
                saved[i] = fields[i].get(null);
                if (saved[i] == null) {
                    throw new IllegalStateException(BRIDGE + "." + HOOKS[i] + " is not set: is the agent installed?");
                }
            }
            try {
                for (Field field : fields) {
                    field.set(null, null);
                }
                return action.call();
            } finally {
                for (int i = 0; i < HOOKS.length; i++) {
                    fields[i].set(null, saved[i]);
                }
            }
        }
    }

    /**
     * The engine's own key manager that decrypts keys once: SunJSSE's SunX509; BCJSSE's own factory (initialised with a
     * key store it makes ProvX509KeyManagerSimple, which does the same), since BCJSSE asks SunX509 for key types it does
     * not know.
     */
    private static KeyManager[] keyManagers(Provider provider, Issued leaf, String alias) throws GeneralSecurityException {
        KeyManagerFactory factory = provider.getName().equals("BCJSSE") ? KeyManagerFactory.getInstance("PKIX", provider)
            : KeyManagerFactory.getInstance("SunX509");
        factory.init(Bench.keyStore("PKCS12", new String[] {alias}, new Issued[] {leaf}), Bench.PASSWORD);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(KeyStore trustStore) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        return factory.getTrustManagers();
    }

    private static SSLContext context(Provider provider, KeyManager[] keyManagers, TrustManager[] trustManagers)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", provider);
        context.init(keyManagers, trustManagers, new SecureRandom());
        context.getClientSessionContext().setSessionCacheSize(1);
        context.getServerSessionContext().setSessionCacheSize(1);
        return context;
    }

    /**
     * A group's PKI: a root of the key type, the server, a dual-EKU client and its serverAuth-only twin (same key,
     * same names, no clientAuth), the trust store.
     *
     * <p>The twin matters beyond the EKU: the engine's own work depends on the client certificate's size. JDK 25's
     * SunJSSE gzips a TLS 1.3 session ticket of 600 bytes or more (the session holds the client's certificate), which
     * costs about 5% of an EC handshake; a relaxed client with a 16-byte longer name crossed that line where the
     * baseline's client did not, and the relaxed path measured 0.95 for a reason that had nothing to do with EKU
     * Bridge. The twin is never longer than the baseline's client (it lacks one OID), checked here.
     */
    private record Pki(Issued server, Issued client, Issued serverAuthOnlyClient, KeyStore trustStore) {
        static Pki issue(String rootName, KeyKind kind) {
            Ca root = TestPki.root(rootName, kind);
            KeyPair clientKeys = kind.freshKeyPair();
            Issued client = Bench.leaf(root, "client.bench.example", LeafEku.BOTH, clientKeys);
            Issued twin = Bench.leaf(root, "client.bench.example", LeafEku.SERVER_AUTH, clientKeys);
            if (encodedLength(twin) > encodedLength(client)) {
                throw new IllegalStateException("the serverAuth-only twin (" + encodedLength(twin) + " bytes) is longer than the"
                    + " dual-EKU client (" + encodedLength(client) + " bytes)");
            }
            return new Pki(Bench.leaf(root, "server.bench.example", LeafEku.SERVER_AUTH), client, twin,
                TestPki.trustStore(root.certificate()));
        }

        private static int encodedLength(Issued leaf) {
            try {
                return leaf.certificate().getEncoded().length;
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
