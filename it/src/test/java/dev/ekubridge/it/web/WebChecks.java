package dev.ekubridge.it.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ekubridge.it.support.AgentLog;
import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.process.Jdk;
import java.util.List;

/**
 * Requests against one running web server, each in TLS 1.3 and TLS 1.2, with their assertions and the table row
 * each one adds: which certificate the server presented (as the client saw it on the wire), and which client
 * certificate the server saw (as the application itself reports it).
 */
final class WebChecks {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final WebPki pki;
    private final WebTable table;

    WebChecks(WebPki pki, WebTable table) {
        this.pki = pki;
        this.table = table;
    }

    /** Which of the run's certificates a serial is, for the table. */
    String label(String serial) {
        if (serial == null) {
            return "none";
        }
        Issued[] all = {pki.server, pki.api, pki.appClient, pki.agentServer, pki.agentClient, pki.peer};
        String[] names = {"app 'server'", "app 'api'", "app 'client'", "agent server.keystore", "agent client.keystore", "peer"};
        for (int i = 0; i < all.length; i++) {
            if (all[i].serialHex().equals(serial)) {
                return names[i] + " " + serial;
            }
        }
        return "unknown " + serial;
    }

    /** Both protocols succeed, the server presents {@code expected} and sees the peer's clientAuth certificate. */
    private void presents(Jdk jdk, String route, WebServerProcess server, String connector, String configuration, String sni, Issued expected) {
        for (String protocol : PROTOCOLS) {
            HttpsProbe.Result result = HttpsProbe.get(server.port(connector), sni, protocol, pki.peerStore, pki.trustStore);
            table.add(new WebTable.Row(String.valueOf(jdk.feature()), route, configuration, sni == null ? "none" : sni, protocol,
                "up, " + label(expected.serialHex()), result.failure() == null ? "up, " + label(result.serverSerial()) : "down: " + result.failure()));
            assertThat(result.ok()).as("%s %s %s: %s\n%s", server.name(), connector, result, configuration, server.transcript()).isTrue();
            assertThat(result.serverSerial()).as("the certificate the server presented (%s), %s", label(result.serverSerial()), result)
                .isEqualTo(expected.serialHex());
            assertThat(result.field("client-serial")).as("the server saw the peer's clientAuth certificate: %s", result)
                .isEqualTo(pki.peer.serialHex());
            assertThat(result.field("connector")).isEqualTo(connector);
        }
    }

    /** The requests of one test against {@code server}, on {@code jdk}, through {@code route} (the table's first columns). */
    On on(Jdk jdk, String route, WebServerProcess server) {
        return new On(this, jdk, route, server);
    }

    /** {@link WebChecks#presents} and {@link WebChecks#fails} against one server, on one JDK, through one route. */
    record On(WebChecks checks, Jdk jdk, String route, WebServerProcess server) {
        void presents(String connector, String configuration, String sni, Issued expected) {
            checks.presents(jdk, route, server, connector, configuration, sni, expected);
        }

        /** The same certificate whether the client sends {@code sni} or no SNI at all. */
        void presentsWithAndWithoutSni(String connector, String configuration, String sni, Issued expected) {
            presents(connector, configuration, sni, expected);
            presents(connector, configuration, null, expected);
        }

        String fails(String connector, String configuration, String sni, String why) {
            return checks.fails(jdk, route, server, connector, configuration, sni, why);
        }
    }

    /** The agent's EKU policy judged, and accepted, the peer's clientAuth certificate. */
    void judgedThePeer(WebServerProcess server) {
        assertThat(AgentLog.decisions(server.err())).as("the EKU policy judged the peer\n%s", server.transcript())
            .anySatisfy(d -> assertThat(d.direction() + " " + d.serial() + " " + d.accepted()).isEqualTo("inbound " + pki.peer.serialHex() + " true"));
    }

    /** The agent's key manager presented the agent's own server identity ({@code server.keystore}). */
    void presentedTheAgentServer(WebServerProcess server) {
        assertThat(AgentLog.presentations(server.err())).as(server.transcript())
            .anySatisfy(p -> assertThat(p.role() + " " + p.serial()).isEqualTo("server " + pki.agentServer.serialHex()));
    }

    /** Both protocols fail; returns the first failure as the client saw it. */
    private String fails(Jdk jdk, String route, WebServerProcess server, String connector, String configuration, String sni, String why) {
        String first = null;
        for (String protocol : PROTOCOLS) {
            HttpsProbe.Result result = HttpsProbe.get(server.port(connector), sni, protocol, pki.peerStore, pki.trustStore);
            table.add(new WebTable.Row(String.valueOf(jdk.feature()), route, configuration, sni == null ? "none" : sni, protocol,
                "down (" + why + ")", result.failure() == null ? "up, " + label(result.serverSerial()) : "down: " + result.failure()));
            assertThat(result.ok()).as("%s %s must fail (%s): %s", server.name(), connector, why, result).isFalse();
            assertThat(result.serverSerial()).as("no server certificate: %s", result).isNull();
            if (first == null) {
                first = result.failure();
            }
        }
        return first;
    }
}
