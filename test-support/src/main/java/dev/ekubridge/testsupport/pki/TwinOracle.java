package dev.ekubridge.testsupport.pki;

import dev.ekubridge.testsupport.pki.Twins;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The EKU policy's rule as an oracle (modes are named by their configuration values, {@code strict},
 * {@code lenient}, {@code audit}, {@code server-auth}, so that this needs no provider class): EKU Bridge's verdict on a client certificate must be the stock trust
 * manager's client-direction verdict on its twin ({@link Twins}), except that {@code strict} refuses what lacks
 * clientAuth and {@code server-auth} also demands serverAuth. Where the wrapped manager is not an engine's own
 * (EKU Bridge then does not ask it about the twin), EKU Bridge may refuse what the twin passes, saying so (fail
 * closed); never the reverse.
 */
public final class TwinOracle {
    /** How EKU Bridge's message begins its explanation of a refusal by a manager it does not ask about the twin. */
    public static final String FAIL_CLOSED_HINT = "[EKU Bridge: inbound.eku=";

    private TwinOracle() {
    }

    /** What a trust manager decided: a {@code null} refusal means accepted. */
    public record Verdict(Throwable refusal) {
        public boolean accepted() {
            return refusal == null;
        }

        public String text() {
            return refusal == null ? "accepted" : refusal.getClass().getName() + ": " + refusal.getMessage();
        }
    }

    /** A trust decision to observe. */
    public interface Call {
        void check() throws Exception;
    }

    public static Verdict verdict(Call call) {
        try {
            call.check();
            return new Verdict(null);
        } catch (Exception e) {
            return new Verdict(e);
        }
    }

    /** Whether {@code mode} lets a leaf with this EKU through its own rule (before the wrapped manager is asked). */
    public static boolean modeAccepts(String mode, X509Certificate leaf) throws CertificateException {
        List<String> ekus = leaf.getExtendedKeyUsage();
        boolean any = ekus != null && ekus.contains("2.5.29.37.0");
        boolean client = ekus == null || any || ekus.contains("1.3.6.1.5.5.7.3.2");
        boolean server = ekus == null || any || ekus.contains("1.3.6.1.5.5.7.3.1");
        switch (mode) {
            case "strict":
                return client;
            case "server-auth":
                return server;
            case "lenient":
            case "audit":
                return client || server;
            default:
                throw new IllegalArgumentException("not an EKU mode: " + mode);
        }
    }

    /**
     * EKU Bridge's verdict {@code ours} on {@code leaf} against the stock manager's {@code twin} verdict on its twin:
     * {@code null} when they agree as the rule says, else a line for the mismatch report.
     *
     * @param recognisable whether the relaxation reaches an engine's own trust manager (directly, or through an EKU Bridge
     *     policy inside the wrapped one), which EKU Bridge asks about the twin; else it may only fail closed
     */
    public static String compare(String label, String mode, X509Certificate leaf, boolean recognisable,
            Verdict ours, Verdict twin) throws CertificateException {
        if (!modeAccepts(mode, leaf)) {
            if (ours.accepted() || !String.valueOf(ours.refusal().getMessage()).contains("(inbound.eku=" + mode + ")")) {
                return label + ": the mode refuses this EKU, but EKU Bridge said " + ours.text();
            }
            return null;
        }
        if (ours.accepted() == twin.accepted()) {
            return null;
        }
        if (ours.accepted()) {
            return label + ": ACCEPTED by EKU Bridge, but the stock manager refuses its twin: " + twin.text();
        }
        String message = String.valueOf(ours.refusal().getMessage());
        boolean failClosed = !recognisable && message.contains(FAIL_CLOSED_HINT);
        return failClosed ? null : label + ": refused by EKU Bridge (" + ours.text() + "), but the twin is accepted";
    }
}
