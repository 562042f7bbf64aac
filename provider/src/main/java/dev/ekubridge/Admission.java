package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import dev.ekubridge.internal.Eku;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;

/** Load-time checks that an identity may serve a role: validity, and the EKU the role needs. */
final class Admission {
    private Admission() {
    }

    /** The identity is valid at {@code now} (every certificate of its chain) and its EKU permits {@code role}. */
    static void admit(Identity identity, Role role, Date now) {
        X509Certificate[] chain = identity.chain();
        for (int i = 0; i < chain.length; i++) {
            String which = i == 0 ? "certificate " : "chain certificate " + (i + 1) + " ";
            try {
                chain[i].checkValidity(now);
            } catch (CertificateExpiredException e) {
                throw new EkuBridgeException(Reason.EXPIRED, identity.source() + ": " + which
                    + CertificateText.describe(chain[i]) + " expired on " + chain[i].getNotAfter().toInstant(), e);
            } catch (CertificateNotYetValidException e) {
                throw new EkuBridgeException(Reason.NOT_YET_VALID, identity.source() + ": " + which
                    + CertificateText.describe(chain[i]) + " is not valid before " + chain[i].getNotBefore().toInstant(), e);
            }
        }
        if (!identity.permits(role)) {
            throw new EkuBridgeException(Reason.MISSING_EKU, missingEkuMessage(identity, role));
        }
    }

    static String missingEkuMessage(Identity identity, Role role) {
        String has = Eku.describe(identity.extendedKeyUsage());
        if (role == Role.CLIENT) {
            return identity.source() + ": invalid certificate for the client role: " + CertificateText.describe(identity.certificate())
                + " does not have the client usage attribute (EKU clientAuth; it has " + has + "). Services requiring mutual TLS"
                + " may not work with it. To present the server certificate as the client certificate anyway, set client.identity=server";
        }
        return identity.source() + ": invalid certificate for the server role: " + CertificateText.describe(identity.certificate())
            + " does not permit TLS server authentication (EKU serverAuth; it has " + has + ")";
    }
}
