package dev.ekubridge;

import dev.ekubridge.internal.PeerMatcher;
import java.net.InetAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.security.auth.x500.X500Principal;

/**
 * Which EKU policy applies to a peer that connects to us: the default ({@code inbound.eku}) or a rule scoped
 * by the peer ({@code inbound.eku.peer.HOST|ADDRESS|CIDR}), the local port of the accepting socket
 * ({@code inbound.eku.port.PORT}) or the issuer of the peer's certificate ({@code inbound.eku.issuer.LABEL}).
 * The most specific rule wins, in this order: the peer's host name or exact address; the narrowest network that
 * holds its address; the local port; the issuer; the default. A port rule needs a socket: an {@code SSLEngine}
 * knows no local port (applications that use engines get per-listener policy from one context per listener).
 * A host name rule matches only a host name the application gave the engine; no DNS look-up is ever made.
 * Immutable but for {@link #counters}, the counts of the verdicts of every trust manager that applies this
 * scope (one bridge's); resolving allocates nothing when there are no scoped rules.
 */
final class PolicyScope {
    /** A mode and the configuration that set it, as log lines and messages name it. */
    static final class Rule {
        final EkuPolicy mode;
        final String name;

        Rule(String key, EkuPolicy mode) {
            this.mode = mode;
            this.name = key + "=" + mode;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Rule defaultRule;
    private final List<PeerMatcher> hostsAndAddresses;
    private final List<Rule> hostAndAddressRules;
    /** Networks, narrowest first. */
    private final List<PeerMatcher> networks;
    private final List<Rule> networkRules;
    private final int[] ports;
    private final Rule[] portRules;
    private final Map<X500Principal, Rule> issuerRules;
    private final boolean scoped;
    /** What the trust managers of this policy decided; shared by all of them. */
    final HandshakeCounters counters = new HandshakeCounters();

    private PolicyScope(Rule defaultRule, List<PeerMatcher> peers, List<Rule> peerRules, int[] ports, Rule[] portRules,
            Map<X500Principal, Rule> issuerRules) {
        this.defaultRule = defaultRule;
        this.hostsAndAddresses = new ArrayList<>();
        this.hostAndAddressRules = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            PeerMatcher peer = peers.get(i);
            if (peer.isHost() || peer.prefix() == 32 || peer.prefix() == 128) {
                hostsAndAddresses.add(peer);
                hostAndAddressRules.add(peerRules.get(i));
            } else {
                order.add(i);
            }
        }
        order.sort((a, b) -> Integer.compare(peers.get(b).prefix(), peers.get(a).prefix()));
        this.networks = new ArrayList<>();
        this.networkRules = new ArrayList<>();
        for (int i : order) {
            networks.add(peers.get(i));
            networkRules.add(peerRules.get(i));
        }
        this.ports = ports;
        this.portRules = portRules;
        this.issuerRules = issuerRules;
        this.scoped = !peers.isEmpty() || ports.length > 0 || !issuerRules.isEmpty();
    }

    /** Only the default: every peer gets {@code mode}. */
    static PolicyScope of(EkuPolicy mode) {
        return new PolicyScope(new Rule("inbound.eku", mode), Collections.<PeerMatcher>emptyList(), Collections.<Rule>emptyList(),
            new int[0], new Rule[0], Collections.<X500Principal, Rule>emptyMap());
    }

    EkuPolicy defaultMode() {
        return defaultRule.mode;
    }

    boolean isScoped() {
        return scoped;
    }

    /** {@code inbound.eku=strict, inbound.eku.port.5061=lenient, ...}: the default and every scoped rule. */
    String describe() {
        StringBuilder text = new StringBuilder(defaultRule.name);
        for (Rule rule : hostAndAddressRules) {
            text.append(", ").append(rule.name);
        }
        for (Rule rule : networkRules) {
            text.append(", ").append(rule.name);
        }
        for (Rule rule : portRules) {
            text.append(", ").append(rule.name);
        }
        for (Rule rule : issuerRules.values()) {
            text.append(", ").append(rule.name);
        }
        return text.toString();
    }

    /** The rule for a peer that connected to us. */
    Rule ruleFor(X509Certificate leaf, Socket socket, SSLEngine engine) {
        if (!scoped) {
            return defaultRule;
        }
        InetAddress address = socket != null ? socket.getInetAddress() : null;
        String host = engine != null ? engine.getPeerHost() : null;
        if (address == null && host != null && (host.indexOf(':') >= 0 || host.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            address = literal(host);
        }
        for (int i = 0; i < hostsAndAddresses.size(); i++) {
            PeerMatcher peer = hostsAndAddresses.get(i);
            if (peer.matchesHost(host) || peer.matches(address)) {
                return hostAndAddressRules.get(i);
            }
        }
        for (int i = 0; i < networks.size(); i++) {
            if (networks.get(i).matches(address)) {
                return networkRules.get(i);
            }
        }
        if (socket != null && ports.length > 0) {
            int at = Arrays.binarySearch(ports, socket.getLocalPort());
            if (at >= 0) {
                return portRules[at];
            }
        }
        if (!issuerRules.isEmpty() && leaf != null) {
            Rule rule = issuerRules.get(leaf.getIssuerX500Principal());
            if (rule != null) {
                return rule;
            }
        }
        return defaultRule;
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host); // an address literal: no look-up
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** Collects the rules; {@link #build()} orders them. Keys name the rule in messages. */
    static final class Builder {
        private EkuPolicy defaultMode = EkuPolicy.STRICT;
        private final List<PeerMatcher> peers = new ArrayList<>();
        private final List<Rule> peerRules = new ArrayList<>();
        private final Map<Integer, Rule> portRules = new HashMap<>();
        private final Map<X500Principal, Rule> issuerRules = new HashMap<>();

        Builder defaultMode(EkuPolicy mode) {
            defaultMode = mode;
            return this;
        }

        /** @throws IllegalArgumentException when {@code peer} is not a host name, address or CIDR network */
        Builder peer(String peer, EkuPolicy mode, String key) {
            peers.add(PeerMatcher.parse(peer));
            peerRules.add(new Rule(key, mode));
            return this;
        }

        Builder port(int port, EkuPolicy mode, String key) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(port + " is not a port number (1 to 65535)");
            }
            portRules.put(port, new Rule(key, mode));
            return this;
        }

        Builder issuer(X500Principal issuer, EkuPolicy mode, String key) {
            issuerRules.put(issuer, new Rule(key, mode));
            return this;
        }

        PolicyScope build() {
            int[] ports = new int[portRules.size()];
            int n = 0;
            for (int port : portRules.keySet()) {
                ports[n++] = port;
            }
            Arrays.sort(ports);
            Rule[] rules = new Rule[ports.length];
            for (int i = 0; i < ports.length; i++) {
                rules[i] = portRules.get(ports[i]);
            }
            return new PolicyScope(new Rule("inbound.eku", defaultMode), new ArrayList<>(peers), new ArrayList<>(peerRules), ports,
                rules, new HashMap<>(issuerRules));
        }
    }
}
