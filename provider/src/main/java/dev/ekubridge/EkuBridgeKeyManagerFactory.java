package dev.ekubridge;

import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code KeyManagerFactory.EkuBridge}. {@code init(KeyStore, char[])} is single-store mode: every
 * private-key entry serves both roles, ranked for the client role by clientAuth and for the server
 * role by serverAuth (then by an EKU dedicated to the role, then by current validity), so a store holding a serverAuth-only public
 * certificate and a clientAuth certificate presents each in its role. {@code init(EkuBridgeParameters)}
 * uses a full configuration.
 */
final class EkuBridgeKeyManagerFactory extends KeyManagerFactorySpi {
    private static final Logger LOG = LoggerFactory.getLogger("ekubridge.keys");

    private RoleAwareKeyManager keyManager;

    @Override
    protected void engineInit(KeyStore store, char[] password) throws KeyStoreException, UnrecoverableKeyException {
        if (store == null) {
            keyManager = new RoleAwareKeyManager(null, null, null, null);
            return;
        }
        List<Identity> identities;
        try {
            // As lenient as the JDK's key managers: the JDK default context passes an empty store when no
            // javax.net.ssl.keyStore is set, and a store may hold entries no key manager can use.
            identities = KeyStoreFiles.usableIdentities("key store given to KeyManagerFactory EkuBridge", store, password,
                skipped -> LOG.warn("KeyManagerFactory EkuBridge skips an entry: {}", skipped.getMessage()));
        } catch (EkuBridgeException e) {
            if (e.reason() == EkuBridgeException.Reason.WRONG_PASSWORD) {
                throw (UnrecoverableKeyException) new UnrecoverableKeyException(e.getMessage()).initCause(e);
            }
            throw new KeyStoreException(e.getMessage(), e);
        }
        keyManager = singleStore(identities, new Date());
    }

    /** Both roles from one store, each ranked by the EKU it needs, then by validity, then by alias ({@link SingleStore#ranked}). */
    static RoleAwareKeyManager singleStore(List<Identity> identities, Date now) {
        List<Identity> server = SingleStore.ranked(identities, Role.SERVER, now);
        List<Identity> client = SingleStore.ranked(identities, Role.CLIENT, now);
        if (!client.isEmpty() && !client.get(0).permits(Role.CLIENT)) {
            LOG.warn("No entry of the key store permits clientAuth: the client role presents {}; peers that check EKU will reject it",
                client.get(0));
        }
        return new RoleAwareKeyManager(server.isEmpty() ? null : new RoleSelector(Role.SERVER, server), null,
            client.isEmpty() ? null : new RoleSelector(Role.CLIENT, client), null);
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) throws InvalidAlgorithmParameterException {
        keyManager = EkuBridgeParameters.bridgeFor("KeyManagerFactory", parameters).keyManager();
    }

    @Override
    protected KeyManager[] engineGetKeyManagers() {
        if (keyManager == null) {
            throw new IllegalStateException("KeyManagerFactory EkuBridge is not initialised");
        }
        return new KeyManager[] {keyManager};
    }
}
