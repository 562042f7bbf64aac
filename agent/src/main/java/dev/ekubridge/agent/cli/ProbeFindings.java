package dev.ekubridge.agent.cli;

import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * What a probe's observations mean for the link: each finding is {@code {SEVERITY, code, message}}, the severity one
 * of {@code BREAKS}, {@code WARNING}, {@code INFO}.
 */
final class ProbeFindings {
    private ProbeFindings() {
    }

    static List<String[]> of(ProbeResult result, Configuration loaded, Date now) {
        List<String[]> findings = new ArrayList<String[]>();
        if (result.timedOut) {
            findings.add(new String[] {"BREAKS", "timeout", "no result within the timeout of " + result.timeoutSeconds + " s ("
                + (result.connected ? "connected; the TLS handshake did not finish" : "the connection was not established") + ")"});
        }
        if (result.connectError != null) {
            findings.add(new String[] {"BREAKS", "no-connection", "cannot connect to " + result.host + ":" + result.port + ": "
                + result.connectError});
        }
        if (result.handshakeError != null && !result.peerRefused()) {
            findings.add(new String[] {"BREAKS", "handshake-failed", "the handshake failed: " + result.handshakeError});
        }
        X509Certificate[] chain = result.trust.chain;
        if (result.trust.evaluated && result.trust.refusal != null) {
            findings.add(new String[] {"BREAKS", "server-not-trusted", "we do not trust the server's certificate ("
                + result.trustSource + "): " + trustReason(result)});
        }
        if (chain != null && chain.length > 0) {
            String name = result.expectedName();
            if (!HostNames.matches(chain[0], name)) {
                findings.add(new String[] {"WARNING", "host-name-mismatch", name + " is not among the server certificate's names ("
                    + HostNames.describe(chain[0]) + "): clients that check host names refuse it"});
            }
            long days = CertText.daysLeft(chain[0], now);
            if (days <= Diagnosis.EXPIRY_WARNING_DAYS) {
                findings.add(new String[] {"WARNING", "expires-soon", "the server certificate " + Diagnosis.name(chain[0])
                    + (days < 0 ? " expired " + (-days) + " days ago" : " expires in " + days + " days")});
            }
        }
        if (result.keys.requested) {
            if (result.peerRefused()) {
                String what = result.keys.alias == null ? "we presented no client certificate"
                    : "it refused our client certificate " + (result.presentedChain == null ? "" : Diagnosis.name(result.presentedChain[0]));
                String why = result.presented != null && !result.presented.permits(Role.CLIENT)
                    ? ": it lacks clientAuth, which a server that checks EKU strictly requires" : "";
                findings.add(new String[] {"BREAKS", "client-certificate-refused", "the server asks for a client certificate and "
                    + what + why + (result.alert == null ? "" : " (alert " + result.alert + ")")});
            } else if (result.keys.alias == null) {
                findings.add(new String[] {"INFO", "no-client-certificate", "the server asks for a client certificate and we presented"
                    + " none (" + (loaded == null ? "no configuration given: run with --config" : "no client identity fits its key types"
                    + " and accepted issuers") + "); it did not refuse within the wait"});
            }
            if (loaded != null && !result.keys.issuers.isEmpty()) {
                Identity ours = loaded.presented(Role.CLIENT);
                if (ours != null && !issuedByAny(ours, result.keys.issuers)) {
                    findings.add(new String[] {"WARNING", "issuer-not-accepted", "our client identity " + Diagnosis.name(ours.certificate())
                        + " is not issued by a CA the server names (it names " + join(result.keys.issuers) + ")"});
                }
            }
        }
        return findings;
    }

    /** Why we do not trust the server, in words where the JDK's message is a path-building exception. */
    static String trustReason(ProbeResult result) {
        String message = String.valueOf(result.trust.refusal.getMessage());
        X509Certificate[] chain = result.trust.chain;
        if (message.contains("unable to find valid certification path") && chain != null && chain.length > 0) {
            X509Certificate top = chain[chain.length - 1];
            String root = Diagnosis.selfSigned(top) ? top.getSubjectX500Principal().getName() : top.getIssuerX500Principal().getName();
            return "no path to a trust anchor: " + root + " is not among our trust anchors (PKIX: " + message.substring(
                message.lastIndexOf(':') + 1).trim() + ")";
        }
        return message;
    }

    private static boolean issuedByAny(Identity identity, List<String> issuers) {
        for (X509Certificate certificate : identity.chain()) {
            if (issuers.contains(certificate.getIssuerX500Principal().getName())) {
                return true;
            }
        }
        return false;
    }

    static String join(Collection<String> values) {
        StringBuilder text = new StringBuilder();
        for (String value : values) {
            text.append(text.length() == 0 ? "" : "; ").append(value);
        }
        return text.toString();
    }
}
