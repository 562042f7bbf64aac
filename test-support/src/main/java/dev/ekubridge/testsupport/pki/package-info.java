/**
 * A run-time X.509 PKI built with Bouncy Castle's certificate builders, handing out JDK objects only (Bouncy Castle
 * is never registered as a JCA provider).
 *
 * <pre>{@code
 * Ca root = TestPki.root("Test Root", KeyKind.EC_P256);
 * Ca issuing = root.intermediate("Issuing CA");
 * Issued client = issuing.leaf("client-1").eku(LeafEku.CLIENT_AUTH).dnsNames("client-1.example").issue();
 * KeyStore ks = TestPki.keyStore("PKCS12", PASSWORD, Map.of("client", client));
 * KeyStore ts = TestPki.trustStore(root.certificate());
 * Pem.writeChain(dir.resolve("client.pem"), client.chain());
 * Twins.Pair pair = Twins.Spec.of("no-eku", issuing, KeyKind.EC_P256.pooledKeyPair()).eku().issue();
 * }</pre>
 *
 * <p>A name given to {@link dev.ekubridge.testsupport.pki.TestPki#root}, {@link dev.ekubridge.testsupport.pki.Ca#intermediate}
 * or {@link dev.ekubridge.testsupport.pki.Ca#leaf} is a common name, or a whole distinguished name in RFC 4514 form
 * when it contains {@code '='} ({@code "CN=core.example.com,O=EKU Bridge it"}).
 */
package dev.ekubridge.testsupport.pki;
