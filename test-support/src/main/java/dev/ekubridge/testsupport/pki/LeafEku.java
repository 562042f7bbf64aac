package dev.ekubridge.testsupport.pki;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** The extended key usage variants of the EKU test matrix. */
public enum LeafEku {
    SERVER_AUTH(KeyPurposeId.id_kp_serverAuth),
    CLIENT_AUTH(KeyPurposeId.id_kp_clientAuth),
    /** serverAuth and clientAuth: what public CAs issued until 2025. */
    BOTH(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
    /** No extended key usage extension at all. */
    NONE(),
    ANY(KeyPurposeId.anyExtendedKeyUsage),
    CODE_SIGNING(KeyPurposeId.id_kp_codeSigning),
    EMAIL_AND_SERVER_AUTH(KeyPurposeId.id_kp_emailProtection, KeyPurposeId.id_kp_serverAuth);

    private final KeyPurposeId[] purposes;

    LeafEku(KeyPurposeId... purposes) {
        this.purposes = purposes;
    }

    /** The key purposes to put in the extension; empty means "no EKU extension". */
    public KeyPurposeId[] purposes() {
        return purposes.clone();
    }
}
