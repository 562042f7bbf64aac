package dev.ekubridge.agent.cli;

import dev.ekubridge.internal.CertificateText;
import java.io.PrintStream;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A probe's result as the table on standard output, or as the {@code --json} document. */
final class ProbeReport {
    private ProbeReport() {
    }

    static void print(PrintStream out, ProbeResult result, Configuration loaded, List<String[]> findings, Date now, int status) {
        out.println("EKU Bridge probe: " + text(result.host) + ":" + result.port + " (SNI " + (result.sni == null ? "none" : text(result.sni))
            + "; timeout " + result.timeoutSeconds + " s for connect, handshake and the server's verdict)");
        out.println("connect       " + (result.connected ? "ok in " + result.connectMillis + " ms"
            : "FAILED: " + text(result.connectError == null ? "timed out" : result.connectError)));
        if (result.connected) {
            out.println("handshake     " + (result.handshakeDone
                ? result.protocol + ", " + result.cipherSuite + ", in " + result.handshakeMillis + " ms"
                : "FAILED: " + text(result.handshakeError == null ? "timed out" : result.handshakeError)));
        }
        X509Certificate[] chain = result.trust.chain;
        if (chain != null) {
            out.println("server chain  " + chain.length + (chain.length == 1 ? " certificate" : " certificates"));
            for (int i = 0; i < chain.length; i++) {
                X509Certificate certificate = chain[i];
                out.println("  [" + i + "] subject  " + text(certificate.getSubjectX500Principal().getName()));
                out.println("      serial   " + CertText.serial(certificate));
                out.println("      issuer   " + text(certificate.getIssuerX500Principal().getName()));
                out.println("      valid    " + CertText.validity(certificate, now));
                out.println("      EKU      " + CertText.ekuNames(CertText.ekus(certificate)));
                out.println("      key      " + CertText.key(certificate.getPublicKey()));
            }
            out.println("trust         " + (result.trust.refusal == null ? "trusted by " + text(result.trustSource)
                : "NOT trusted by " + text(result.trustSource) + ": " + text(ProbeFindings.trustReason(result))));
            String name = result.expectedName();
            out.println("host name     " + text(name) + (HostNames.matches(chain[0], name) ? " is among" : " is NOT among")
                + " the certificate's names (" + text(HostNames.describe(chain[0])) + ")");
        }
        if (result.connected && (result.handshakeDone || chain != null)) {
            out.println("client cert   " + (result.keys.requested ? "requested; issuers it accepts: " + (result.keys.issuers.isEmpty()
                ? "any (it names none)" : text(ProbeFindings.join(result.keys.issuers))) : "not requested"));
            if (result.keys.requested) {
                out.println("we presented  " + (result.presentedChain != null ? presented(result, now)
                    : loaded == null ? "nothing (no configuration given: run with --config to present our client identity)"
                    : "nothing (no client identity of ours fits its key types and accepted issuers)"));
                out.println("its verdict   " + verdict(result));
            }
        }
        out.println();
        out.println("findings");
        if (findings.isEmpty()) {
            out.println("  none");
        }
        for (String[] finding : findings) {
            out.println("  " + CertText.pad(finding[0], 8) + " " + text(finding[2]));
        }
        out.println();
        out.println("verdict: " + (status == Main.OK ? "the link works from here" : "the link does not work from here")
            + " (exit " + status + ")");
    }

    private static String presented(ProbeResult result, Date now) {
        X509Certificate leaf = result.presentedChain[0];
        return "client " + CertText.serial(leaf) + " " + text(leaf.getSubjectX500Principal().getName()) + ", EKU "
            + CertText.ekuNames(CertText.ekus(leaf)) + ", issued by " + text(leaf.getIssuerX500Principal().getName())
            + (result.presented == null ? "" : ", from " + text(result.presented.source()));
    }

    private static String verdict(ProbeResult result) {
        String detail = result.verdictDetail == null ? "" : " (" + text(result.verdictDetail) + ")";
        if ("accepted".equals(result.peerVerdict)) {
            return "accepted" + detail;
        }
        if (result.peerRefused()) {
            return "REFUSED" + (result.alert == null ? "" : ": alert " + result.alert) + detail;
        }
        return "unknown" + detail;
    }

    static Map<String, Object> json(ProbeResult result, Configuration loaded, List<String[]> findings, Date now) {
        Map<String, Object> json = Json.object();
        Map<String, Object> target = Json.object();
        target.put("host", result.host);
        target.put("port", result.port);
        target.put("sni", result.sni);
        target.put("timeoutSeconds", result.timeoutSeconds);
        json.put("target", target);
        json.put("connected", result.connected);
        json.put("connectError", result.connectError);
        json.put("connectMillis", result.connectMillis < 0 ? null : result.connectMillis);
        json.put("timedOut", result.timedOut);
        Map<String, Object> handshake = Json.object();
        handshake.put("completed", result.handshakeDone);
        handshake.put("protocol", result.protocol);
        handshake.put("cipherSuite", result.cipherSuite);
        handshake.put("millis", result.handshakeMillis < 0 ? null : result.handshakeMillis);
        handshake.put("error", result.handshakeError);
        json.put("handshake", handshake);
        Map<String, Object> server = Json.object();
        X509Certificate[] chain = result.trust.chain;
        List<Object> certificates = Json.array();
        if (chain != null) {
            for (X509Certificate certificate : chain) {
                certificates.add(CertText.json(certificate, now));
            }
        }
        server.put("chain", certificates);
        Map<String, Object> trust = Json.object();
        trust.put("source", result.trustSource);
        trust.put("evaluated", result.trust.evaluated);
        trust.put("trusted", result.trust.evaluated && result.trust.refusal == null);
        trust.put("reason", result.trust.refusal == null ? null : result.trust.refusal.getMessage());
        server.put("trust", trust);
        if (chain != null && chain.length > 0) {
            String name = result.expectedName();
            Map<String, Object> hostName = Json.object();
            hostName.put("name", name);
            hostName.put("matches", HostNames.matches(chain[0], name));
            hostName.put("certificateNames", HostNames.describe(chain[0]));
            server.put("hostName", hostName);
        }
        json.put("server", server);
        Map<String, Object> client = Json.object();
        client.put("requested", result.keys.requested);
        client.put("acceptedIssuers", Json.array(result.keys.issuers));
        client.put("keyTypes", Json.array(result.keys.keyTypes));
        client.put("presented", result.presentedChain == null ? null : CertText.json(result.presentedChain[0], now));
        client.put("verdict", result.peerVerdict);
        client.put("alert", result.alert);
        client.put("detail", result.verdictDetail);
        json.put("clientCertificate", client);
        List<Object> list = Json.array();
        for (String[] finding : findings) {
            Map<String, Object> item = Json.object();
            item.put("severity", finding[0].toLowerCase(Locale.ROOT));
            item.put("code", finding[1]);
            item.put("message", finding[2]);
            list.add(item);
        }
        json.put("findings", list);
        json.put("configured", loaded != null);
        return json;
    }

    private static String text(String value) {
        return CertificateText.printable(String.valueOf(value));
    }
}
