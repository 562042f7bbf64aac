package dev.ekubridge.it.support;

/** The JSSE provider an application JVM uses as its TLS engine. */
public enum Engine {
    /** The JDK's own provider, in its default place. */
    SUN_JSSE("SunJSSE"),
    /**
     * Bouncy Castle's JSSE provider, first in the JVM's provider list (with the BC provider before it),
     * set through a {@code java.security.properties} override file, as an operator would; the BC jars
     * are then on the application's class path.
     */
    BC_JSSE("BCJSSE");

    private final String providerName;

    Engine(String providerName) {
        this.providerName = providerName;
    }

    /** The name {@code SSLContext.getInstance("TLS").getProvider().getName()} reports. */
    public String providerName() {
        return providerName;
    }
}
