package dev.ekubridge.testsupport.pki;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Lazily filled pools of key pairs (RSA-2048 generation is slow), one per kind for CAs and one per kind for leaves,
 * kept apart so that a leaf never shares its issuer's key; a caller names the keys to avoid (its issuer chain's).
 */
final class KeyPool {
    static final KeyPool INSTANCE = new KeyPool();

    /** Key pairs reused by CA certificates. */
    private static final int CA_POOL_SIZE = 4;
    /** Key pairs reused by leaf certificates. */
    private static final int LEAF_POOL_SIZE = 4;

    private final Map<KeyKind, List<KeyPair>> caKeys = new EnumMap<>(KeyKind.class);
    private final Map<KeyKind, List<KeyPair>> leafKeys = new EnumMap<>(KeyKind.class);
    private final Map<KeyKind, Integer> caNext = new EnumMap<>(KeyKind.class);
    private final Map<KeyKind, Integer> leafNext = new EnumMap<>(KeyKind.class);

    private KeyPool() {
    }

    synchronized KeyPair caKey(KeyKind kind, List<PublicKey> avoid) {
        return take(kind, avoid, caKeys, caNext, CA_POOL_SIZE);
    }

    synchronized KeyPair leafKey(KeyKind kind, List<PublicKey> avoid) {
        return take(kind, avoid, leafKeys, leafNext, LEAF_POOL_SIZE);
    }

    private static KeyPair take(KeyKind kind, List<PublicKey> avoid, Map<KeyKind, List<KeyPair>> pools,
                                Map<KeyKind, Integer> cursors, int size) {
        List<KeyPair> pool = pools.computeIfAbsent(kind, k -> new ArrayList<>());
        for (int attempt = 0; attempt < size + 1; attempt++) {
            int index = cursors.getOrDefault(kind, 0);
            cursors.put(kind, (index + 1) % size);
            if (index >= pool.size()) {
                pool.add(kind.freshKeyPair());
                index = pool.size() - 1;
            }
            KeyPair candidate = pool.get(index);
            if (!avoid.contains(candidate.getPublic())) {
                return candidate;
            }
        }
        return kind.freshKeyPair();
    }
}
