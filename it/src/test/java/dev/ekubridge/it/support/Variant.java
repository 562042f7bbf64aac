package dev.ekubridge.it.support;

import dev.ekubridge.testsupport.process.Jdk;
/**
 * How one application JVM runs: its JDK, its TLS engine, and the TLS versions its SIP stack enables
 * ({@code gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS}, which JAIN-SIP applies to its server sockets too).
 * A link between two nodes negotiates TLS 1.3 only when both enable it. The four variants together
 * cover each JDK with each engine, and each engine with each TLS version.
 */
public enum Variant {
    SUN_17(Jdk.JDK_17, Engine.SUN_JSSE, "TLSv1.3,TLSv1.2"),
    BC_17(Jdk.JDK_17, Engine.BC_JSSE, "TLSv1.2"),
    SUN_25(Jdk.JDK_25, Engine.SUN_JSSE, "TLSv1.2"),
    BC_25(Jdk.JDK_25, Engine.BC_JSSE, "TLSv1.3,TLSv1.2");

    public final Jdk jdk;
    public final Engine engine;
    public final String protocols;

    Variant(Jdk jdk, Engine engine, String protocols) {
        this.jdk = jdk;
        this.engine = engine;
        this.protocols = protocols;
    }

    public String label() {
        return jdk.feature() + "/" + engine.providerName() + "/" + (protocols.startsWith("TLSv1.3") ? "TLS1.3" : "TLS1.2");
    }

    @Override
    public String toString() {
        return label();
    }
}
