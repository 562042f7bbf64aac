package dev.ekubridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.ekubridge.EkuPolicy;
import dev.ekubridge.EkuPolicyTrustManager;
import dev.ekubridge.conformance.LimboCases.ExpectedResult;
import dev.ekubridge.conformance.LimboCases.LimboCase;
import dev.ekubridge.conformance.LimboCases.ValidationKind;
import dev.ekubridge.conformance.LimboReplay.Stack;
import dev.ekubridge.conformance.LimboReplay.Verdict;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * x509-limbo conformance replay (see {@code src/test/resources/x509-limbo/ORIGIN.md}).
 *
 * <p>The stock SunJSSE and BCJSSE PKIX trust managers are <em>not</em> x509-limbo conformant (and
 * the replay skips host name checks, see {@link LimboReplay}), so agreement with
 * {@code expected_result} is only reported, never asserted. What is asserted: every case loads,
 * the stock replay yields a verdict for every case, and wrapping the stock trust manager in
 * {@link EkuPolicyTrustManager}, in every {@link EkuPolicy}, changes no server-validation verdict
 * (same accept/refuse outcome, same exception class), case by case.
 */
class LimboConformanceTest {

    private static final int EXPECTED_CASES = 135;

    /** Stock (unwrapped) verdicts per stack, by case id in file order; computed once. */
    private static final Map<Stack, Map<String, Verdict>> STOCK = Collections.synchronizedMap(new EnumMap<>(Stack.class));

    static Stream<LimboCase> cases() {
        return LimboCases.all().stream();
    }

    static Map<String, Verdict> stockVerdicts(Stack stack) {
        return STOCK.computeIfAbsent(stack, s -> {
            Map<String, Verdict> out = new LinkedHashMap<>();
            for (LimboCase c : LimboCases.all()) {
                out.put(c.id(), replay(c, s, UnaryOperator.identity()));
            }
            return Collections.unmodifiableMap(out);
        });
    }

    private static Verdict replay(LimboCase c, Stack stack, UnaryOperator<X509TrustManager> wrapper) {
        try {
            return LimboReplay.replay(c, stack, wrapper);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(stack + ": cannot set up the stock trust manager for " + c.id(), e);
        }
    }

    @Test
    void theJsonReaderIsStrict() {
        assertThat(LimboCases.readJson(" {\"a\": [1, -2.5e3, \"x\\u00e9\\ud83d\\ude00\", true, null], \"b\": {}} "))
                .isEqualTo(Map.of("a", Arrays.asList(1L, new java.math.BigDecimal("-2.5e3"), "x\u00e9\ud83d\ude00",
                        true, null), "b", Map.of()));
        for (String bad : List.of("[1,]", "{\"a\":1,}", "01", "[1] x", "{\"a\":1,\"a\":2}", "\"\\x\"",
                "\"\\ud800\"", "\"tab\there\"", "NaN", "[.5]", "{'a':1}", "", "tru", "[1 2]",
                "\uFEFF[]", "[\"\\udc00x\"]", "{\"\\ud800\":1}", "// c\n1")) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                    .as(bad).isThrownBy(() -> LimboCases.readJson(bad));
        }
    }

    @Test
    void loaderYieldsAll135ServerCases() {
        List<LimboCase> all = LimboCases.all();
        assertThat(all).hasSize(EXPECTED_CASES);
        assertThat(all).extracting(LimboCase::validationKind).containsOnly(ValidationKind.SERVER);
        assertThat(all).extracting(LimboCase::id).doesNotHaveDuplicates();
    }

    /**
     * Cases with a certificate the JDK CertificateFactory (Java 17) refuses, all expected FAILURE;
     * pinned here so that a change of JDK behaviour shows up. Their verdict is "refused" with the
     * parse error, for every stack and wrapper, as in a real handshake (see LimboReplay#replay).
     */
    private static final Set<String> NOT_PARSABLE_BY_JDK = Set.of(
            "rfc5280::san::noncritical-with-empty-subject", // SAN not critical with an empty subject
            "rfc5280::ee-empty-issuer",                     // root: empty issuer DN
            "rfc5280::ca-empty-subject",                    // root and leaf: empty subject / issuer
            "rfc5280::duplicate-extensions",                // leaf: duplicate extensions
            "rfc5280::mismatching-signature-algorithm");    // leaf: inner/outer signature algorithm differ

    @Test
    void onlyTheKnownCasesAreUnparsableByTheJdk() {
        List<LimboCase> unparsable = LimboCases.all().stream().filter(c -> !c.parsable()).collect(Collectors.toList());
        unparsable.forEach(c -> System.out.println("x509-limbo: JDK cannot parse " + c.id() + " (expected "
                + c.expectedResult() + "): " + c.jdkParseFailures()));
        assertThat(unparsable).extracting(LimboCase::id).containsExactlyInAnyOrderElementsOf(NOT_PARSABLE_BY_JDK);
        assertThat(unparsable).extracting(LimboCase::expectedResult).containsOnly(ExpectedResult.FAILURE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseIsParsable(LimboCase c) throws Exception {
        if (NOT_PARSABLE_BY_JDK.contains(c.id())) {
            assertThat(c.jdkParseFailures()).as("%s: known JDK parse failure", c.id()).isNotEmpty();
            assertThat(c.expectedResult()).as(c.id()).isEqualTo(ExpectedResult.FAILURE);
            return;
        }
        assertThat(c.jdkParseFailures()).as(c.id()).isEmpty();
        assertThat(c.description()).isNotBlank();
        assertThat(c.trustedCerts()).isNotEmpty().doesNotContainNull();
        assertThat(c.untrustedIntermediates()).doesNotContainNull();
        assertThat(c.peerCertificate()).isNotNull();
        assertThat(c.peerCertificate().getEncoded()).isNotEmpty();
        assertThat(c.expectedResult()).isNotNull();
        assertThat(c.validationTime()).isNotNull();
        assertThat(c.maxChainDepth()).isNotNull();
        assertThat(c.expectedPeerName()).isNotNull();
        assertThat(c.extendedKeyUsage()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stockSunJsseReplayGivesVerdict(LimboCase c) {
        assertThat(stockVerdicts(Stack.SUN_JSSE).get(c.id())).as("SunJSSE verdict for %s", c.id()).isNotNull();
    }

    /** BCJSSE's PKIX TrustManagerFactory accepts CertPathTrustManagerParameters, so it is replayed too. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stockBcJsseReplayGivesVerdict(LimboCase c) {
        assertThat(stockVerdicts(Stack.BC_JSSE).get(c.id())).as("BCJSSE verdict for %s", c.id()).isNotNull();
    }

    /** Reports (System.out) how far the stock verdicts agree with expected_result; asserts nothing about it. */
    @Test
    void stockAgreementSummary() {
        for (Stack stack : Stack.values()) {
            Map<String, Verdict> verdicts = stockVerdicts(stack);
            assertThat(verdicts).hasSize(EXPECTED_CASES);
            int agree = 0;
            int expectedSuccessRefused = 0;
            int expectedFailureAccepted = 0;
            StringBuilder disagreements = new StringBuilder();
            for (LimboCase c : LimboCases.all()) {
                Verdict v = verdicts.get(c.id());
                boolean expectedAccept = c.expectedResult() == ExpectedResult.SUCCESS;
                if (v.accepted() == expectedAccept) {
                    agree++;
                    continue;
                }
                if (expectedAccept) {
                    expectedSuccessRefused++;
                } else {
                    expectedFailureAccepted++;
                }
                disagreements.append(String.format("    %-8s %-70s %s%n",
                        c.expectedResult(), c.id(), v));
            }
            System.out.printf("x509-limbo stock replay, %s: %d cases, %d agree with expected_result, "
                            + "%d do not (expected SUCCESS but refused: %d; expected FAILURE but accepted: %d)%n%s",
                    stack, verdicts.size(), agree, verdicts.size() - agree,
                    expectedSuccessRefused, expectedFailureAccepted, disagreements);
        }
    }

    /**
     * Every case through {@code EkuPolicyTrustManager.wrap(stock, policy)}, for every policy and
     * both stacks: the verdict must equal the stock verdict of the same stack (accepted vs refused,
     * and the exception class when refused).
     */
    @TestFactory
    Stream<DynamicNode> wrappedVerdictsEqualStock() {
        return Arrays.stream(Stack.values()).map(stack -> dynamicContainer(stack.name(),
                Arrays.stream(EkuPolicy.values()).map(policy -> dynamicContainer(stack + " " + policy.name(),
                        cases().map(c -> dynamicTest(stack + " " + policy.name() + " " + c.id(), () -> {
                            Verdict stock = stockVerdicts(stack).get(c.id());
                            Verdict wrapped = replay(c, stack, tm -> EkuPolicyTrustManager.wrap(tm, policy));
                            assertThat(wrapped.sameOutcomeAs(stock))
                                    .as("%s %s %s: wrapped %s, stock %s", stack, policy, c.id(), wrapped, stock)
                                    .isTrue();
                        }))))));
    }
}
