package dev.ekubridge;

/**
 * What the EKU Bridge policy managers deciding on this thread's peer right now have claimed. A policy manager
 * reached through another one, with someone else's trust manager in between so that neither sees the other, is
 * nested: the agent meets it when a framework wraps what a factory handed out before its {@code SSLContext.init}
 * (Netty's {@code SslProvider.JDK} server context puts each factory trust manager in its own
 * {@code EnhancingX509ExtendedTrustManager}). The nested one still decides; the outermost counts, the first that
 * logs writes the decision line and the first in audit mode the audit line, and an enclosing manager passes a
 * nested verdict on as it is. One small object per thread, made on its first decision: nothing per handshake.
 */
final class Deciding {
    private static final ThreadLocal<Deciding> CURRENT = new ThreadLocal<Deciding>() {
        @Override
        protected Deciding initialValue() {
            return new Deciding();
        }
    };

    int depth;
    /** Set by a nested manager when it has decided, for the one enclosing it. */
    boolean nestedDecided;
    /** An enclosing manager writes the decision line. */
    boolean logging;
    /** An enclosing manager writes the audit line. */
    boolean auditing;

    private Deciding() {
    }

    static Deciding current() {
        return CURRENT.get();
    }

    /** Ends one manager's part of the decision: the enclosing one learns that a nested one decided. */
    void leave(boolean outermost, boolean enclosingLogs, boolean enclosingAudits) {
        depth--;
        nestedDecided = !outermost;
        logging = enclosingLogs;
        auditing = enclosingAudits;
    }
}
