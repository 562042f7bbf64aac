package dev.ekubridge.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Loads the x509-limbo test vectors ({@code /x509-limbo/limbo.json} on the test class path,
 * see {@code ORIGIN.md} next to it) into {@link LimboCase} values.
 *
 * <p>The reader is strict: it rejects unknown top-level or test-case members, wrong JSON types,
 * unknown enum values and anything but one PEM certificate where a certificate is expected.
 * A certificate that is well-formed PEM but that the JDK {@link CertificateFactory} refuses is
 * not an error of the file: the case records it ({@link LimboCase#jdkParseFailures()}). The
 * compiled file of the pinned commit writes {@code null} for the list members the newer schema
 * defaults to {@code []} ({@code features}, {@code signature_algorithms}, {@code key_usage},
 * {@code extended_key_usage}, {@code expected_peer_names}); those are read as empty lists.
 */
final class LimboCases {

    static final String RESOURCE = "/x509-limbo/limbo.json";

    enum ValidationKind { SERVER, CLIENT }

    enum ExpectedResult { SUCCESS, FAILURE }

    /** A peer name as in the schema's {@code PeerName}: kind is RFC822, DNS or IP. */
    record PeerName(String kind, String value) {
        @Override
        public String toString() {
            return kind + ":" + value;
        }
    }

    /**
     * A certificate of a case that the JDK {@link CertificateFactory} refuses to parse.
     *
     * @param where which certificate, e.g. {@code peer_certificate} or {@code trusted_certs[0]}
     */
    record ParseFailure(String where, String exceptionClass, String message) {
        @Override
        public String toString() {
            return where + ": " + exceptionClass + ": " + message;
        }
    }

    /**
     * One x509-limbo test case. Lists are unmodifiable and never contain null.
     *
     * <p>When {@code jdkParseFailures} is not empty, some certificates of the case could not be
     * parsed by the JDK: they are missing from their lists, or {@code peerCertificate} is null. A
     * JSSE peer would fail the handshake while decoding the Certificate message, before any trust
     * manager is asked (see {@link LimboReplay#replay}).
     */
    record LimboCase(
            String id,
            String description,
            ValidationKind validationKind,
            List<String> features,
            List<X509Certificate> trustedCerts,
            List<X509Certificate> untrustedIntermediates,
            X509Certificate peerCertificate,
            Optional<Instant> validationTime,
            Optional<PeerName> expectedPeerName,
            List<PeerName> expectedPeerNames,
            List<String> keyUsage,
            List<String> extendedKeyUsage,
            ExpectedResult expectedResult,
            Optional<Integer> maxChainDepth,
            List<ParseFailure> jdkParseFailures) {

        /** Whether the JDK parsed every certificate of the case. */
        boolean parsable() {
            return jdkParseFailures.isEmpty();
        }

        /** The chain a TLS server would present: the peer certificate, then the intermediates. */
        List<X509Certificate> presentedChain() {
            List<X509Certificate> chain = new ArrayList<>(1 + untrustedIntermediates.size());
            chain.add(peerCertificate);
            chain.addAll(untrustedIntermediates);
            return Collections.unmodifiableList(chain);
        }

        @Override
        public String toString() {
            return id; // shown as the display name of parameterized tests
        }
    }

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("version", "testcases");

    /** Every Testcase property of the schema (limbo-schema.json); anything else is rejected. */
    private static final Set<String> CASE_KEYS = Set.of(
            "id", "conflicts_with", "features", "importance", "description", "validation_kind",
            "trusted_certs", "untrusted_intermediates", "peer_certificate", "peer_certificate_key",
            "validation_time", "signature_algorithms", "key_usage", "extended_key_usage",
            "expected_result", "expected_peer_name", "expected_peer_names", "max_chain_depth", "crls");

    private static final Set<String> KEY_USAGES = Set.of(
            "digitalSignature", "contentCommitment", "keyEncipherment", "dataEncipherment",
            "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly");

    private static final Set<String> KNOWN_EKUS = Set.of(
            "anyExtendedKeyUsage", "serverAuth", "clientAuth", "codeSigning", "emailProtection",
            "timeStamping", "OCSPSigning");

    private static final Set<String> PEER_KINDS = Set.of("RFC822", "DNS", "IP");

    private static volatile List<LimboCase> cached;

    private LimboCases() {
    }

    /** All cases of the bundled file, in file order (loaded once). */
    static List<LimboCase> all() {
        List<LimboCase> c = cached;
        if (c == null) {
            synchronized (LimboCases.class) {
                c = cached;
                if (c == null) {
                    c = load();
                    cached = c;
                }
            }
        }
        return c;
    }

    static List<LimboCase> load() {
        try (InputStream in = LimboCases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + RESOURCE);
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(in.readAllBytes()))
                    .toString();
            return parse(text);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(RESOURCE + " is not valid UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jackson, as strict as RFC 8259: its defaults already refuse trailing commas, leading zeros, comments, single
     * quotes, NaN/Infinity, bare control characters in strings and unknown escapes; this reader also refuses
     * duplicate keys and anything after the top-level value. Integers that fit are {@link Long}s, other numbers
     * {@link java.math.BigDecimal}s.
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * One complete JSON text as {@link Map}s (in order), {@link List}s, strings, numbers, booleans and null;
     * {@link IllegalArgumentException} for anything that is not strict JSON, including a byte order mark and a
     * string with a lone surrogate (which Jackson would pass through).
     */
    static Object readJson(String text) {
        if (text.startsWith("\uFEFF")) {
            throw new IllegalArgumentException("byte order mark not allowed");
        }
        Object value;
        try {
            value = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not strict JSON: " + e.getOriginalMessage(), e);
        }
        requireWellFormedStrings(value);
        return value;
    }

    private static void requireWellFormedStrings(Object value) {
        if (value instanceof String) {
            String s = (String) value;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new IllegalArgumentException("lone surrogate in string at index " + i);
                }
            }
        } else if (value instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                requireWellFormedStrings(e.getKey());
                requireWellFormedStrings(e.getValue());
            }
        } else if (value instanceof List) {
            for (Object element : (List<?>) value) {
                requireWellFormedStrings(element);
            }
        }
    }

    static List<LimboCase> parse(String json) {
        Map<String, Object> root = map(readJson(json), "root");
        onlyKeys(root, TOP_LEVEL_KEYS, "root");
        Object version = root.get("version");
        if (!Long.valueOf(1).equals(version)) {
            throw new IllegalArgumentException("unsupported limbo version " + version);
        }
        List<Object> raw = list(require(root, "testcases", "root"), "testcases");
        CertificateFactory cf;
        try {
            cf = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
        List<LimboCase> out = new ArrayList<>(raw.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            LimboCase c = toCase(map(raw.get(i), "testcases[" + i + "]"), "testcases[" + i + "]", cf);
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("duplicate test case id " + c.id());
            }
            out.add(c);
        }
        return Collections.unmodifiableList(out);
    }

    private static LimboCase toCase(Map<String, Object> m, String where, CertificateFactory cf) {
        onlyKeys(m, CASE_KEYS, where);
        String id = str(require(m, "id", where), where + ".id");
        if (!id.matches("^([A-Za-z][A-Za-z0-9-.]+::)*([A-Za-z][A-Za-z0-9-.]+)$")) {
            throw new IllegalArgumentException(where + ": malformed id " + id);
        }
        String at = where + " (" + id + ")";
        String description = str(require(m, "description", at), at + ".description");
        ValidationKind kind = ValidationKind.valueOf(
                str(require(m, "validation_kind", at), at + ".validation_kind"));
        ExpectedResult expected = ExpectedResult.valueOf(
                str(require(m, "expected_result", at), at + ".expected_result"));

        List<ParseFailure> failures = new ArrayList<>();
        List<X509Certificate> trusted = certs(strings(require(m, "trusted_certs", at), at + ".trusted_certs"),
                at, "trusted_certs", cf, failures);
        List<X509Certificate> intermediates = certs(
                strings(require(m, "untrusted_intermediates", at), at + ".untrusted_intermediates"),
                at, "untrusted_intermediates", cf, failures);
        X509Certificate peer = cert(str(require(m, "peer_certificate", at), at + ".peer_certificate"),
                at, "peer_certificate", cf, failures);
        if (trusted.isEmpty() && failures.isEmpty()) {
            throw new IllegalArgumentException(at + ": no trusted_certs");
        }

        Optional<Instant> time = Optional.ofNullable(m.get("validation_time"))
                .map(v -> str(v, at + ".validation_time"))
                .map(v -> instant(v, at + ".validation_time"));

        Optional<PeerName> peerName = Optional.ofNullable(m.get("expected_peer_name"))
                .map(v -> peerName(v, at + ".expected_peer_name"));
        List<PeerName> peerNames = new ArrayList<>();
        for (Object o : nullableList(m, "expected_peer_names", at)) {
            peerNames.add(peerName(o, at + ".expected_peer_names[]"));
        }

        List<String> features = strings(nullableList(m, "features", at), at + ".features");
        List<String> keyUsage = enumStrings(nullableList(m, "key_usage", at), KEY_USAGES, at + ".key_usage");
        List<String> eku = strings(nullableList(m, "extended_key_usage", at), at + ".extended_key_usage");
        for (String e : eku) { // a well-known name or a dotted OID
            if (!KNOWN_EKUS.contains(e) && !e.matches("[0-2](\\.(0|[1-9][0-9]*))+")) {
                throw new IllegalArgumentException(at + ".extended_key_usage: unknown value " + e);
            }
        }

        Optional<Integer> maxDepth = Optional.ofNullable(m.get("max_chain_depth")).map(v -> {
            if (!(v instanceof Long) || (Long) v < 0 || (Long) v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(at + ".max_chain_depth: not a non-negative integer: " + v);
            }
            return ((Long) v).intValue();
        });

        return new LimboCase(id, description, kind, features, trusted, intermediates, peer, time,
                peerName, Collections.unmodifiableList(peerNames), keyUsage, eku, expected, maxDepth,
                Collections.unmodifiableList(failures));
    }

    private static Instant instant(String v, String where) {
        try {
            return OffsetDateTime.parse(v).toInstant(); // e.g. 2023-07-10T00:00:00+00:00
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + ": not an RFC 3339 date-time: " + v, e);
        }
    }

    private static PeerName peerName(Object o, String where) {
        Map<String, Object> m = map(o, where);
        onlyKeys(m, Set.of("kind", "value"), where);
        String kind = str(require(m, "kind", where), where + ".kind");
        if (!PEER_KINDS.contains(kind)) {
            throw new IllegalArgumentException(where + ": unknown peer kind " + kind);
        }
        return new PeerName(kind, str(require(m, "value", where), where + ".value"));
    }

    private static List<X509Certificate> certs(List<String> pems, String at, String where, CertificateFactory cf,
            List<ParseFailure> failures) {
        List<X509Certificate> out = new ArrayList<>(pems.size());
        for (int i = 0; i < pems.size(); i++) {
            X509Certificate c = cert(pems.get(i), at, where + "[" + i + "]", cf, failures);
            if (c != null) {
                out.add(c);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The certificate, or null (recorded in {@code failures}) when the JDK cannot parse it. */
    private static X509Certificate cert(String pem, String at, String where, CertificateFactory cf,
            List<ParseFailure> failures) {
        if (!pem.startsWith("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(at + "." + where + ": not a PEM certificate");
        }
        Collection<? extends Certificate> parsed;
        try {
            parsed = cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            failures.add(new ParseFailure(where, e.getClass().getName(), e.getMessage()));
            return null;
        }
        if (parsed.size() != 1 || !(parsed.iterator().next() instanceof X509Certificate)) {
            throw new IllegalArgumentException(at + "." + where + ": expected exactly one X.509 certificate, got "
                    + parsed.size());
        }
        return (X509Certificate) parsed.iterator().next();
    }

    private static void onlyKeys(Map<String, Object> m, Set<String> allowed, String where) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown member \"" + k + "\"");
            }
        }
    }

    private static Object require(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + ": missing or null \"" + key + "\"");
        }
        return v;
    }

    private static List<Object> nullableList(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        return v == null ? List.of() : list(v, where + "." + key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String where) {
        if (!(o instanceof List)) {
            throw new IllegalArgumentException(where + ": expected a JSON array");
        }
        return (List<Object>) o;
    }

    private static String str(Object o, String where) {
        if (!(o instanceof String)) {
            throw new IllegalArgumentException(where + ": expected a JSON string");
        }
        return (String) o;
    }

    private static List<String> strings(Object o, String where) {
        List<String> out = new ArrayList<>();
        for (Object e : list(o, where)) {
            out.add(str(e, where + "[]"));
        }
        return Collections.unmodifiableList(out);
    }

    private static List<String> enumStrings(List<Object> raw, Set<String> allowed, String where) {
        List<String> out = strings(raw, where);
        for (String s : out) {
            if (!allowed.contains(s)) {
                throw new IllegalArgumentException(where + ": unknown value " + s);
            }
        }
        return out;
    }
}
