package dev.ekubridge.testing;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;

/**
 * The PKI after the CA change EKU Bridge exists for: a private CA ("CA1") issues the clientAuth-only certificate, a
 * public root and its issuing intermediate ("CA2") the serverAuth-only one. Fresh keys for both leaves.
 */
public record CaChange(Ca privateCa, Ca publicRoot, Ca publicIssuing, Issued server, Issued client) {

    /** The CAs are named "{@code prefix} CA1 private", "{@code prefix} CA2 public root" and "... issuing". */
    public static CaChange named(String prefix) {
        Ca privateCa = TestPki.root(prefix + " CA1 private", KeyKind.EC_P256);
        Ca publicRoot = TestPki.root(prefix + " CA2 public root", KeyKind.EC_P256);
        Ca publicIssuing = publicRoot.intermediate(prefix + " CA2 public issuing");
        Issued server = publicIssuing.leaf("sip.example.test").eku(LeafEku.SERVER_AUTH)
                .dnsNames("sip.example.test").keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        Issued client = privateCa.leaf("sip-client.example.test").eku(LeafEku.CLIENT_AUTH)
                .keyPair(KeyKind.EC_P256.freshKeyPair()).issue();
        return new CaChange(privateCa, publicRoot, publicIssuing, server, client);
    }
}
