package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What {@code doctor} predicts for a configuration, in the terms of docs/scenarios.md. The rule: a node
 * presents its client identity when it dials (it is the TLS client) and its server identity when it
 * accepts; whether a link comes up depends on the dialling side's client certificate and on the accepting
 * side's policy, and the accepting side's own certificate only has to carry serverAuth.
 *
 * <p>Two kinds of peer: one that checks EKU strictly (wants clientAuth of whoever dials it: the JDK,
 * OpenSSL's {@code -Verify}, Kamailio's {@code require_certificate}, Expressway with its inbound check on,
 * the scenarios' SSH tunnels) and a lenient one (takes serverAuth instead: Expressway with the check off,
 * EKU Bridge {@code inbound.eku=lenient}). As TLS clients, both want serverAuth of the server they dial.
 */
final class Diagnosis {
    /** How much a finding matters: {@code BREAKS} makes doctor exit 1. */
    enum Severity {
        BREAKS, WARNING, INFO
    }

    /** One finding: its severity, a stable code for scripts, and a sentence for people. */
    static final class Finding {
        final Severity severity;
        final String code;
        final String message;

        Finding(Severity severity, String code, String message) {
            this.severity = severity;
            this.code = code;
            this.message = message;
        }
    }

    /** One predicted link: who dials, which kind of peer, whose certificate is judged, and the outcome. */
    static final class Prediction {
        /** {@code outbound} (we dial the peer) or {@code inbound} (the peer dials us). */
        final String direction;
        final String peer;
        /** The client certificate the accepting side judges: ours (outbound) or the peer's (inbound). */
        final String judged;
        /** {@code up}, {@code down}, or {@code unknown} (the application's own key manager decides). */
        final String outcome;
        /** {@code the peer}, {@code us}, or {@code null}. */
        final String refusedBy;
        final String why;

        Prediction(String direction, String peer, String judged, String outcome, String refusedBy, String why) {
            this.direction = direction;
            this.peer = peer;
            this.judged = judged;
            this.outcome = outcome;
            this.refusedBy = refusedBy;
            this.why = why;
        }
    }

    static final int EXPIRY_WARNING_DAYS = 30;

    final List<Prediction> predictions = new ArrayList<Prediction>();
    final List<Finding> findings = new ArrayList<Finding>();

    private Diagnosis() {
    }

    boolean breaks() {
        for (Finding finding : findings) {
            if (finding.severity == Severity.BREAKS) {
                return true;
            }
        }
        return false;
    }

    int count(Severity severity) {
        int count = 0;
        for (Finding finding : findings) {
            if (finding.severity == severity) {
                count++;
            }
        }
        return count;
    }

    static Diagnosis of(Configuration loaded, Date now) {
        Diagnosis diagnosis = new Diagnosis();
        Identity server = loaded.presented(Role.SERVER);
        Identity client = loaded.presented(Role.CLIENT);
        String clientKind = loaded.clientRoleKind();
        EkuPolicy mode = loaded.bridge.trustManager().policy();
        X509Certificate[] anchors = loaded.anchors();
        String trustSource = loaded.trustSource() == null ? "the JDK default trust store" : loaded.trustSource();

        diagnosis.predictOutbound(client, clientKind);
        diagnosis.predictInbound(server, mode, anchors.length, trustSource);

        if (loaded.config.isEmpty()) {
            diagnosis.add(Severity.INFO, "nothing-configured", "nothing is configured: under the agent EKU Bridge changes nothing");
        }
        diagnosis.clientRoleFindings(loaded, client, clientKind);
        if (anchors.length == 0) {
            diagnosis.add(Severity.BREAKS, "trust-store-empty", "trust store empty: " + trustSource + " holds no trust anchor, so every"
                + " peer that dials us and every server we dial is refused (no certificate can be validated)");
        }
        X509Certificate[] jdkAnchors = jdkDefaultAnchors();
        Set<String> seen = new HashSet<String>();
        if (server != null) {
            diagnosis.identityFindings("server identity", server, anchors, jdkAnchors, loaded.trustSource(), now, seen);
        }
        if (client != null) {
            diagnosis.identityFindings("client identity", client, anchors, jdkAnchors, loaded.trustSource(), now, seen);
        }
        if (loaded.trustSource() != null) {
            for (X509Certificate anchor : anchors) {
                long days = CertText.daysLeft(anchor, now);
                if (days <= EXPIRY_WARNING_DAYS) {
                    diagnosis.add(Severity.WARNING, "expires-soon", "trust anchor " + name(anchor) + (days < 0 ? " expired "
                        + (-days) + " days ago" : " expires in " + days(days)) + " (" + anchor.getNotAfter().toInstant() + ")");
                }
            }
        }
        diagnosis.modeFinding(mode);
        for (Role role : Role.values()) {
            int n = loaded.identities(role).size();
            if (n > 1 && !(role == Role.CLIENT && !"own".equals(clientKind))) {
                diagnosis.add(Severity.INFO, "several-identities", "the " + role + " role has " + n + " identities: for each handshake the"
                    + " first that fits the peer's key types, accepted issuers and SNI is presented; the predictions use the first");
            }
        }
        return diagnosis;
    }

    private void add(Severity severity, String code, String message) {
        findings.add(new Finding(severity, code, message));
    }

    private void predictOutbound(Identity client, String clientKind) {
        String strictPeer = "checks EKU strictly (wants clientAuth)";
        String lenientPeer = "lenient (takes serverAuth instead)";
        if (client == null) {
            String why = "the application's own key manager chooses our client certificate (no client identity configured)";
            predictions.add(new Prediction("outbound", strictPeer, "ours: the application's", "unknown", null, why));
            predictions.add(new Prediction("outbound", lenientPeer, "ours: the application's", "unknown", null, why));
            return;
        }
        String judged = "our client cert";
        String trust = "; if the peer trusts " + issuerOf(client);
        if (client.permits(Role.CLIENT)) {
            predictions.add(new Prediction("outbound", strictPeer, judged, "up", null, "it has clientAuth" + trust));
            predictions.add(new Prediction("outbound", lenientPeer, judged, "up", null, "it has clientAuth" + trust));
            return;
        }
        String scenario = "upgrade-default".equals(clientKind) ? " (scenario 2 test 1: the upgrade default)"
            : "server-explicit".equals(clientKind) ? " (scenario 4: client.identity=server)" : "";
        predictions.add(new Prediction("outbound", strictPeer, judged, "down", "the peer",
            "no clientAuth in it, only " + CertText.ekuNames(client.extendedKeyUsage()) + scenario));
        if (client.permits(Role.SERVER)) {
            predictions.add(new Prediction("outbound", lenientPeer, judged, "up", null,
                "it takes serverAuth instead of clientAuth (scenario 2 test 2)" + trust));
        } else {
            predictions.add(new Prediction("outbound", lenientPeer, judged, "down", "the peer",
                "neither clientAuth nor serverAuth in it, only " + CertText.ekuNames(client.extendedKeyUsage())));
        }
    }

    private void predictInbound(Identity server, EkuPolicy mode, int anchorCount, String trustSource) {
        String ours = server == null ? "our server cert (the application's) must have serverAuth"
            : "our server cert has the serverAuth it wants";
        String both = "strict or lenient; has serverAuth+clientAuth";
        String serverOnly = "strict or lenient; has serverAuth only";
        String theirs = "its client cert";
        if (anchorCount == 0) {
            predictions.add(new Prediction("inbound", both, theirs, "down", "us", "our trust store is empty"));
            predictions.add(new Prediction("inbound", serverOnly, theirs, "down", "us", "our trust store is empty"));
            return;
        }
        String trust = "; if we trust its issuer";
        String setting = " (inbound.eku=" + mode.configValue() + ")";
        predictions.add(new Prediction("inbound", both, theirs, "up", null, "we accept clientAuth" + setting + "; " + ours + trust));
        switch (mode) {
            case STRICT:
                predictions.add(new Prediction("inbound", serverOnly, theirs, "down", "us",
                    "no clientAuth in it; inbound.eku=" + mode.configValue() + " (scenario 2 test 1, the Edge)"));
                break;
            case AUDIT:
                predictions.add(new Prediction("inbound", serverOnly, theirs, "up", null,
                    "accepted instead of clientAuth, logged and counted" + setting + "; " + ours + trust));
                break;
            default:
                predictions.add(new Prediction("inbound", serverOnly, theirs, "up", null,
                    "accepted instead of clientAuth" + setting + " (scenario 2 test 2); " + ours + trust));
        }
    }

    private void clientRoleFindings(Configuration loaded, Identity client, String clientKind) {
        if ("upgrade-default".equals(clientKind)) {
            add(Severity.INFO, "upgrade-default", "client role: no client identity configured. As a library (EkuBridge.fromConfig) the"
                + " server identity is presented when we dial (the upgrade default, predicted here); under the agent the application's"
                + " own key manager keeps serving the client role");
        }
        if (client == null || client.permits(Role.CLIENT)) {
            if (client == null && loaded.identities(Role.SERVER).isEmpty() && !loaded.config.isEmpty()) {
                add(Severity.INFO, "no-identity", "no identity configured: the application's own key managers serve both roles; EKU"
                    + " Bridge applies inbound.eku only");
            }
            return;
        }
        String what = "upgrade-default".equals(clientKind)
            ? "no client identity is configured, so the server identity " + name(client.certificate()) + " is presented when we dial"
            : "server-explicit".equals(clientKind)
                ? "client.identity=server presents the server identity " + name(client.certificate()) + " when we dial"
                : "the client identity " + name(client.certificate()) + " is presented when we dial";
        add(Severity.BREAKS, "client-lacks-clientauth", "client identity lacks clientAuth: " + what + ", and its EKU is "
            + CertText.ekuNames(client.extendedKeyUsage()) + ": every peer that checks EKU strictly refuses it (the JDK, OpenSSL -Verify,"
            + " Kamailio require_certificate, Expressway with its inbound check on, SSH tunnels). Give the client role a"
            + " certificate with clientAuth (client.keystore or client.cert/client.key), e.g. from a private CA (scenario 2.1)");
    }

    private void identityFindings(String label, Identity identity, X509Certificate[] anchors, X509Certificate[] jdkAnchors,
            String trustSource, Date now, Set<String> seen) {
        X509Certificate[] chain = identity.chain();
        if (!seen.add(CertText.serial(chain[0]) + "/" + chain[0].getIssuerX500Principal().getName())) {
            return; // the client role presents the server identity: said once
        }
        for (int i = 0; i < chain.length; i++) {
            long days = CertText.daysLeft(chain[i], now);
            String which = i == 0 ? label + " " + name(chain[i]) : label + "'s chain certificate " + name(chain[i]);
            if (days <= EXPIRY_WARNING_DAYS) {
                add(Severity.WARNING, "expires-soon", which + " expires in " + days(days) + " ("
                    + chain[i].getNotAfter().toInstant() + ")");
            } else if (i == 0) {
                add(Severity.INFO, "expires", which + " expires in " + days(days) + " (" + chain[i].getNotAfter().toInstant() + ")");
            }
        }
        X509Certificate top = chain[chain.length - 1];
        X509Certificate root = selfSigned(top) ? top : issuerAmong(top, anchors);
        if (root == null) {
            root = issuerAmong(top, jdkAnchors);
        }
        if (root == null) {
            add(Severity.BREAKS, "chain-incomplete", "chain incomplete: the " + label + "'s chain (" + chain.length
                + (chain.length == 1 ? " certificate" : " certificates") + ") ends at " + name(top) + ", issued by "
                + CertificateText.printable(top.getIssuerX500Principal().getName()) + ", which is neither in the chain nor a trust"
                + " anchor we know: peers cannot build a path to a root unless they hold that intermediate. Put the intermediate"
                + " certificates in the key store entry or the PEM file, leaf first");
            return;
        }
        if (!contains(anchors, root)) {
            String issuer = CertificateText.printable(root.getSubjectX500Principal().getName());
            add(Severity.WARNING, "issuer-not-trusted", "issuer not in the trust store: the " + label + " chains to " + issuer
                + ", which is not among our trust anchors (" + (trustSource == null ? "the JDK default trust store" : trustSource)
                + "): peers that trust what we trust refuse it; only peers configured to trust " + issuer + " accept it (scenario 3)");
        }
    }

    private void modeFinding(EkuPolicy mode) {
        switch (mode) {
            case STRICT:
                add(Severity.INFO, "inbound-strict", "inbound.eku=strict: peers that dial us with a serverAuth-only certificate (public CAs"
                    + " issue only those since 2025-2026) are refused; inbound.eku=lenient accepts them (Expressway's check off,"
                    + " scenario 2 test 2)");
                break;
            case LENIENT:
                add(Severity.INFO, "inbound-lenient", "inbound.eku=lenient: peers that dial us with a serverAuth-only certificate are"
                    + " accepted; services that keep requiring clientAuth (the scenarios' SSH tunnels) are not relaxed by it");
                break;
            case AUDIT:
                add(Severity.INFO, "inbound-audit", "inbound.eku=audit: as lenient, and every peer strict would refuse is logged"
                    + " (ekubridge.audit) and counted");
                break;
            default:
                add(Severity.INFO, "inbound-server-auth", "inbound.eku=server-auth: every peer that dials us must have serverAuth;"
                    + " a clientAuth-only certificate is refused");
        }
    }

    /** The JDK's default trust anchors (cacerts, or javax.net.ssl.trustStore), to tell a public root from a missing one. */
    static X509Certificate[] jdkDefaultAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    return ((X509TrustManager) manager).getAcceptedIssuers();
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // no default trust store: nothing to compare with
        }
        return new X509Certificate[0];
    }

    static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The anchor that issued {@code certificate} (by name and signature), or {@code certificate} itself when it is one. */
    static X509Certificate issuerAmong(X509Certificate certificate, X509Certificate[] anchors) {
        for (X509Certificate anchor : anchors) {
            if (anchor.equals(certificate)) {
                return anchor;
            }
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(anchor.getPublicKey());
                    return anchor;
                } catch (GeneralSecurityException | RuntimeException e) {
                    // another CA of the same name
                }
            }
        }
        return null;
    }

    private static boolean contains(X509Certificate[] anchors, X509Certificate certificate) {
        return Arrays.asList(anchors).contains(certificate);
    }

    /** {@code 5E4E4 (CN=sip.example.com)}. */
    static String name(X509Certificate certificate) {
        return CertText.serial(certificate) + " (" + CertificateText.printable(certificate.getSubjectX500Principal().getName()) + ")";
    }

    /** The CN of the identity's top issuer, as a peer must trust it. */
    private static String issuerOf(Identity identity) {
        X509Certificate[] chain = identity.chain();
        X509Certificate top = chain[chain.length - 1];
        String issuer = selfSigned(top) ? top.getSubjectX500Principal().getName() : top.getIssuerX500Principal().getName();
        return CertificateText.printable(CertText.commonName(issuer));
    }

    private static String days(long days) {
        return days == 1 ? "1 day" : days + " days";
    }

    /** The predictions as JSON. */
    List<Object> predictionsJson() {
        List<Object> list = Json.array();
        for (Prediction prediction : predictions) {
            Map<String, Object> json = Json.object();
            json.put("direction", prediction.direction);
            json.put("peer", prediction.peer);
            json.put("judged", prediction.judged);
            json.put("outcome", prediction.outcome);
            json.put("refusedBy", prediction.refusedBy);
            json.put("why", prediction.why);
            list.add(json);
        }
        return list;
    }

    List<Object> findingsJson() {
        List<Object> list = Json.array();
        for (Finding finding : findings) {
            Map<String, Object> json = Json.object();
            json.put("severity", finding.severity.name().toLowerCase(java.util.Locale.ROOT));
            json.put("code", finding.code);
            json.put("message", finding.message);
            list.add(json);
        }
        return list;
    }

    List<Finding> sorted() {
        List<Finding> sorted = new ArrayList<Finding>(findings);
        Collections.sort(sorted, (a, b) -> a.severity.compareTo(b.severity));
        return sorted;
    }
}
