package dev.ekubridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.testsupport.pki.Ca;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.KeyKind;
import dev.ekubridge.testsupport.pki.LeafEku;
import dev.ekubridge.testsupport.pki.TestPki;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An identity that expires while in service gives way to the best one still valid (load-time admission cannot see that). */
class RoleSelectorExpiryTest {
    private static final Ca CA = TestPki.root("Expiry CA", KeyKind.EC_P256);

    /** A serverAuth identity valid from {@code from} until {@code until}, both counted from now (negative: in the past). */
    private static Identity identity(String name, Duration from, Duration until) {
        Instant now = Instant.now();
        Issued issued = CA.leaf(name).eku(LeafEku.SERVER_AUTH).validity(now.plus(from), now.plus(until)).issue();
        return Identity.of(name, "test", issued.privateKey(), issued.chain());
    }

    @Test
    void anExpiredIdentityGivesWayToAValidOne() {
        Identity expired = identity("expired", Duration.ofDays(-30), Duration.ofMinutes(-1));
        Identity valid = identity("valid", Duration.ofDays(-1), Duration.ofDays(30));
        RoleSelector selector = new RoleSelector(Role.SERVER, List.of(expired, valid));
        Principal[] issuers = {CA.certificate().getSubjectX500Principal()};

        assertThat(selector.choose("EC", null, null)).isEqualTo(1);
        assertThat(selector.choose("EC", issuers, null)).isEqualTo(1);
        assertThat(selector.choose("RSA", null, null)).isEqualTo(-1);
    }

    @Test
    void whenEveryIdentityHasExpiredTheBestRankedIsStillPresentedAsTheJdkDoes() {
        Identity first = identity("first", Duration.ofDays(-30), Duration.ofMinutes(-2));
        Identity second = identity("second", Duration.ofDays(-30), Duration.ofMinutes(-1));
        RoleSelector selector = new RoleSelector(Role.SERVER, List.of(first, second));

        assertThat(selector.choose("EC", null, null)).isEqualTo(0);
    }
}
