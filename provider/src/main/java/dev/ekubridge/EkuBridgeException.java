package dev.ekubridge;

/**
 * A configuration, file or certificate that EKU Bridge cannot use. The message names the key,
 * file or certificate at fault; {@link #reason()} says which kind of problem it is. Nothing is
 * half-loaded when this is thrown.
 */
public class EkuBridgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for programs; the message is for people. */
    public enum Reason {
        UNKNOWN_KEY,
        BAD_VALUE,
        CONFLICTING_KEYS,
        MISSING_KEY,
        UNREADABLE_FILE,
        UNKNOWN_FORMAT,
        WRONG_PASSWORD,
        EMPTY_STORE,
        NO_SUCH_ALIAS,
        KEY_MISMATCH,
        CHAIN_OUT_OF_ORDER,
        CHAIN_BROKEN,
        EXPIRED,
        NOT_YET_VALID,
        MISSING_EKU,
        UNSUPPORTED
    }

    private final Reason reason;

    public EkuBridgeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public EkuBridgeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
