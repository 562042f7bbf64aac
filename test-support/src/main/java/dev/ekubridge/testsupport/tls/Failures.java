package dev.ekubridge.testsupport.tls;

/** Exceptions as one line of text, for results and assertion messages. */
public final class Failures {
    private static final int MAX_DEPTH = 20;

    private Failures() {
    }

    /** The exception and its causes on one line: "X: message; caused by Y: message". */
    public static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH; t = t.getCause(), depth++) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.toString();
    }
}
