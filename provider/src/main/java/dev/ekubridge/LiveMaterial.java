package dev.ekubridge;

import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * What a bridge's managers present and trust now: one immutable {@link Generation} (both roles' identities and, when
 * EKU Bridge reads the trust store itself, its trust manager) behind one volatile reference, which a reload replaces
 * whole. Every key manager made from one bridge (the agent makes one per {@code SSLContext}) and its trust manager
 * share it, so a reload reaches contexts initialised before it.
 *
 * <p><b>Handshakes in flight.</b> A JSSE engine chooses an alias, then asks for its private key and its chain, in three
 * calls on one thread (SunJSSE's {@code X509Authentication}, BCJSSE's key manager import). Should a reload land between
 * them, the key of one generation must never be paired with the chain of another, even when both name the entry
 * alike. So, when the material can change, each thread keeps a note of its last choice: the alias, the generation (or
 * the application's key manager) that chose it; {@code getPrivateKey} and {@code getCertificateChain} for that alias
 * resolve against the noted generation, and the note is dropped once both have been served. A pair of those calls
 * without a choice before it (a framework that lists aliases itself) resolves against the generation the first of
 * the pair read. The note is one object per thread, reused: choosing allocates nothing.
 */
final class LiveMaterial {
    /** One generation of material. Immutable. */
    static final class Generation {
        final KeyState keys;
        /** The trust manager over the configured trust store, or {@code null} when trust is not read from files. */
        final X509ExtendedTrustManager trust;
        /** 0 for what was loaded at start, then one more for each reload that changed something. */
        final long number;

        Generation(KeyState keys, X509ExtendedTrustManager trust, long number) {
            this.keys = keys;
            this.trust = trust;
            this.number = number;
        }
    }

    /** A thread's last choice, see the class comment. Only its own thread touches it. */
    static final class Choice {
        static final int KEY = 1;
        static final int CHAIN = 2;

        KeyState keys;
        String alias;
        /** The application's key manager that chose {@link #alias}, or {@code null} when it is ours. */
        X509KeyManager fallback;
        int served;

        /** Drops the note once both halves of the pair have been served. */
        void served(int part) {
            served |= part;
            if (served == (KEY | CHAIN)) {
                note(null, null, null);
            }
        }

        /** Notes a new choice (all {@code null} to forget one), with neither half of the pair served yet. */
        void note(KeyState keys, String alias, X509KeyManager fallback) {
            this.keys = keys;
            this.alias = alias;
            this.fallback = fallback;
            this.served = 0;
        }
    }

    private volatile Generation current;
    private final boolean swappable;
    private final ThreadLocal<Choice> choices;
    /** Keeps the reloader, and so its checker thread, alive while any manager that reads this material is. */
    volatile Object owner;

    /** @param swappable whether a reload may replace the generation (bridges built from files) */
    LiveMaterial(Generation first, boolean swappable) {
        this.current = first;
        this.swappable = swappable;
        this.choices = swappable ? new ThreadLocal<Choice>() {
            @Override
            protected Choice initialValue() {
                return new Choice();
            }
        } : null;
    }

    static LiveMaterial fixed(KeyState keys) {
        return new LiveMaterial(new Generation(keys, null, 0), false);
    }

    Generation current() {
        return current;
    }

    boolean swappable() {
        return swappable;
    }

    /** Puts a new generation in service; callers serialise swaps. */
    void swap(Generation next) {
        if (!swappable) {
            throw new IllegalStateException("this material is fixed");
        }
        current = next;
    }

    /** Notes this thread's choice of {@code alias} from {@code keys}, or from the application's {@code fallback}. */
    void chose(KeyState keys, String alias, X509KeyManager fallback) {
        if (swappable) {
            choices.get().note(keys, alias, fallback);
        }
    }

    /** Forgets this thread's last choice: a listing of aliases starts anew. */
    void forgetChoice() {
        chose(null, null, null);
    }

    /**
     * The note that {@code alias} (not {@code null}) is to be resolved against, for one half of the pair
     * ({@link Choice#KEY} or {@link Choice#CHAIN}): this thread's choice of it, or a new note of the current
     * generation. Read its fields, then call {@link Choice#served}. {@code null} when the material is fixed.
     */
    Choice resolve(String alias, int part) {
        if (!swappable) {
            return null;
        }
        Choice choice = choices.get();
        if (!alias.equals(choice.alias) || (choice.served & part) != 0) {
            choice.note(current.keys, alias, null);
        }
        return choice;
    }
}
