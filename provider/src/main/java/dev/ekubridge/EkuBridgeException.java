package dev.ekubridge;

import dev.ekubridge.internal.CertificateText;

/**
 * A configuration, file or certificate that EKU Bridge cannot use. The message names the key,
 * file or certificate at fault; {@link #reason()} says which kind of problem it is. Nothing is
 * half-loaded when this is thrown.
 *
 * <p>The message is always one line: control characters and other non-printables in it (from a file
 * name, a value, a certificate subject) are shown as visible escapes such as {@code \n} or
 * {@code \}{@code u001b}, so that it can be logged as it is.
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
        super(CertificateText.printable(message));
        this.reason = reason;
    }

    public EkuBridgeException(Reason reason, String message, Throwable cause) {
        super(CertificateText.printable(message), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
