package dev.ekubridge.benchmarks;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.Identity;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.TestPki;
import java.security.KeyStore;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Key selection alone: the four {@code choose*Alias} callbacks a JSSE engine makes, with 1, 100 and
 * 10,000 identities, EKU Bridge's {@code RoleAwareKeyManager} against the JDK's SunX509 and PKIX key
 * managers over a key store holding the same identities. Arguments are what SunJSSE passes: key type
 * {@code EC}; no issuers (TLS 1.3 without certificate_authorities) or the CA's name; a real engine
 * that has no handshake session (so no SNI), or none.
 *
 * <p>All identities are EC P-256 leaves with serverAuth and clientAuth from one CA, sharing one key
 * pair (only the certificate differs); {@link LeafBatch} says how 10,000 of them are made once
 * and kept across forks. Set-up times (issuing, building the key manager) are printed per trial.
 */
public class KeySelectionBenchmark extends NanosPerCallBenchmark {

    public enum Manager {
        /** EKU Bridge's RoleAwareKeyManager, every identity given for both roles. */
        EKU_BRIDGE,
        /** The JDK's SunX509 key manager over a JKS store of the same identities. */
        SUNX509,
        /** The JDK's PKIX (NewSunX509) key manager over the same store. */
        PKIX
    }

    /** The acceptable issuers the peer named. */
    public enum Issuers {
        /** None: TLS 1.3 peers usually send no certificate_authorities; SunJSSE then passes null. */
        NONE,
        /** The issuing CA's name, as a TLS 1.2 CertificateRequest carries it. */
        CA
    }

    @Param({"EKU_BRIDGE", "SUNX509", "PKIX"})
    public Manager manager;

    @Param({"1", "100", "10000"})
    public int identities;

    @Param({"NONE", "CA"})
    public Issuers issuers;

    /** The engine argument of the {@code chooseEngine*} callbacks; only those benchmarks use this state. */
    @State(Scope.Benchmark)
    public static class EngineArgument {
        public enum Kind {
            /** A real SunJSSE engine before its handshake: no handshake session, so no SNI. */
            REAL,
            /** {@code null}, as some callers pass. */
            NULL
        }

        @Param({"REAL", "NULL"})
        public Kind engine;

        SSLEngine serverEngine;
        SSLEngine clientEngine;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            if (engine == Kind.REAL) {
                SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
                context.init(null, null, null);
                serverEngine = context.createSSLEngine();
                serverEngine.setUseClientMode(false);
                clientEngine = context.createSSLEngine();
                clientEngine.setUseClientMode(true);
            }
        }
    }

    private final String keyType = KeyKind.EC_P256.jcaAlgorithm();
    private final String[] keyTypes = {KeyKind.EC_P256.jcaAlgorithm()};
    private Principal[] issuerArgument;
    private X509ExtendedKeyManager keyManager;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        long start = System.nanoTime();
        LeafBatch batch = LeafBatch.of(identities);
        long issued = System.nanoTime();
        keyManager = keyManager(batch);
        long built = System.nanoTime();
        issuerArgument = issuers == Issuers.CA ? new Principal[] {batch.ca.getSubjectX500Principal()} : null;

        // a wrong argument would make every manager return null quickly and the comparison meaningless
        if (keyManager.chooseServerAlias(keyType, issuerArgument, null) == null
            || keyManager.chooseClientAlias(keyTypes, issuerArgument, null) == null) {
            throw new IllegalStateException(manager + " chose no alias for key type " + keyType + " and issuers " + issuers);
        }
        System.out.printf("[setup] %s, %d identities: certificates issued or read in %d ms, key manager built in %d ms%n", manager,
            identities, TimeUnit.NANOSECONDS.toMillis(issued - start), TimeUnit.NANOSECONDS.toMillis(built - issued));
    }

    private X509ExtendedKeyManager keyManager(LeafBatch batch) throws Exception {
        if (manager == Manager.EKU_BRIDGE) {
            List<Identity> list = new ArrayList<>(batch.leaves.length);
            for (int i = 0; i < batch.leaves.length; i++) {
                list.add(Bench.identity(batch.leaves[i], batch.aliases[i]));
            }
            return EkuBridge.builder()
                .serverIdentities(list)
                .clientIdentities(list)
                .trustStore(TestPki.trustStore(batch.ca))
                .build()
                .keyManager();
        }
        KeyStore store = Bench.keyStore("JKS", batch.aliases, batch.leaves);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(manager == Manager.SUNX509 ? "SunX509" : "PKIX");
        factory.init(store, Bench.PASSWORD);
        for (KeyManager candidate : factory.getKeyManagers()) {
            if (candidate instanceof X509ExtendedKeyManager) {
                return (X509ExtendedKeyManager) candidate;
            }
        }
        throw new IllegalStateException("no X509ExtendedKeyManager from " + factory.getAlgorithm());
    }

    @Benchmark
    public String chooseServerAlias() {
        return keyManager.chooseServerAlias(keyType, issuerArgument, null);
    }

    @Benchmark
    public String chooseClientAlias() {
        return keyManager.chooseClientAlias(keyTypes, issuerArgument, null);
    }

    @Benchmark
    public String chooseEngineServerAlias(EngineArgument argument) {
        return keyManager.chooseEngineServerAlias(keyType, issuerArgument, argument.serverEngine);
    }

    @Benchmark
    public String chooseEngineClientAlias(EngineArgument argument) {
        return keyManager.chooseEngineClientAlias(keyTypes, issuerArgument, argument.clientEngine);
    }
}
