package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Agent arguments are split on commas, so a password that contains a comma leaves its tail as the next
 * "argument". The error names neither part of the password; an unknown key that does not follow a password
 * is still named.
 */
class AgentArgumentPasswordFragmentTest {

    private static final Map<String, String> NONE = Collections.emptyMap();

    private static EkuBridgeException load(String arguments) {
        Throwable thrown = catchThrowable(() -> EkuBridgeConfig.load(arguments, NONE, NONE));
        assertThat(thrown).as("expected an EkuBridgeException for " + arguments).isInstanceOf(EkuBridgeException.class);
        return (EkuBridgeException) thrown;
    }

    @Test
    void theTailOfAPasswordWithACommaIsNotEchoed() {
        EkuBridgeException e = load("server.password=Tr0ub,4dor=x");

        assertThat(e.reason()).isEqualTo(EkuBridgeException.Reason.UNKNOWN_KEY);
        assertThat(e.getMessage()).doesNotContain("Tr0ub").doesNotContain("4dor").contains("agent argument 2");
        assertThat(String.valueOf(e.getCause())).doesNotContain("Tr0ub").doesNotContain("4dor");
    }

    @Test
    void theTailIsNotEchoedAfterAClientPasswordFollowingOtherKeysEither() {
        EkuBridgeException e = load("inbound.eku=lenient,client.keystore=/x.p12,client.password=s3cr,et=y");

        assertThat(e.reason()).isEqualTo(EkuBridgeException.Reason.UNKNOWN_KEY);
        assertThat(e.getMessage()).doesNotContain("s3cr").doesNotContain("et=").contains("agent argument 4");
    }

    @Test
    void anUnknownKeyThatDoesNotFollowAPasswordIsStillNamed() {
        assertThat(load("inbound.ekuu=lenient").getMessage()).contains("inbound.ekuu");
        EkuBridgeException afterOtherKey = load("server.keystore=/x.p12,inbound.ekuu=lenient");
        assertThat(afterOtherKey.reason()).isEqualTo(EkuBridgeException.Reason.UNKNOWN_KEY);
        assertThat(afterOtherKey.getMessage()).contains("inbound.ekuu");
    }
}
