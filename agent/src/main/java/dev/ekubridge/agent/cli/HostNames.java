package dev.ekubridge.agent.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Host name matching as HTTPS clients do it (RFC 6125, simplified): SAN DNS names with a left-most wildcard, IP addresses. */
final class HostNames {
    private HostNames() {
    }

    static boolean matches(X509Certificate certificate, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        boolean ip = wanted.indexOf(':') >= 0 || wanted.matches("[0-9.]+");
        for (List<?> entry : names(certificate)) {
            int type = (Integer) entry.get(0);
            String value = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
            if (ip && type == 7 && sameAddress(value, wanted)) {
                return true;
            }
            if (!ip && type == 2 && dnsMatches(value, wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException | RuntimeException e) {
            return a.equals(b);
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return pattern.equals(host);
    }

    static String describe(X509Certificate certificate) {
        StringBuilder text = new StringBuilder();
        for (List<?> entry : names(certificate)) {
            int type = (Integer) entry.get(0);
            if (type == 2 || type == 7) {
                text.append(text.length() == 0 ? "" : ", ").append(type == 2 ? "DNS:" : "IP:").append(entry.get(1));
            }
        }
        return text.length() == 0 ? "no DNS or IP subject alternative names" : text.toString();
    }

    private static Collection<List<?>> names(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? Collections.<List<?>>emptyList() : names;
        } catch (CertificateParsingException e) {
            return Collections.<List<?>>emptyList();
        }
    }
}
