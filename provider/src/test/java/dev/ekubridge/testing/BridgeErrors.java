package dev.ekubridge.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.EkuBridgeException.Reason;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** The {@link EkuBridgeException} an action must throw, for tests that go on to examine its reason and message. */
public final class BridgeErrors {
    private BridgeErrors() {
    }

    /** The exception {@code action} throws; fails the test when it throws none (or another kind). */
    public static EkuBridgeException thrownBy(ThrowingCallable action) {
        EkuBridgeException e = catchThrowableOfType(EkuBridgeException.class, action);
        assertThat(e).as("an EkuBridgeException").isNotNull();
        return e;
    }

    /** The exception {@code action} throws, which must give {@code reason}. */
    public static EkuBridgeException thrownBy(Reason reason, ThrowingCallable action) {
        EkuBridgeException e = thrownBy(action);
        assertThat(e.reason()).as("the reason of: %s", e.getMessage()).isEqualTo(reason);
        return e;
    }
}
