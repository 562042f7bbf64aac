package dev.ekubridge.it.support;

import dev.ekubridge.testsupport.pki.Issued;
import dev.ekubridge.testsupport.pki.Pem;
import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * OpenSSL's own TLS peers: {@code s_server} (optionally requiring a client certificate with
 * {@code -Verify 1 -verify_return_error}, which checks the client certificate's purpose as
 * {@code sslclient}, i.e. its clientAuth EKU) and {@code s_client}. They show, on the wire and
 * independently of Java, which certificate each side presents. Both exchange one SIP message over the
 * TLS connection: the server answers the first SIP request it reads with {@code 200 OK}, the client
 * sends an OPTIONS request and reads the response.
 */
public final class OpenSsl {
    private static final java.util.regex.Pattern STATUS_LINE = java.util.regex.Pattern.compile("SIP/2\\.0 \\d{3} .*$");

    private OpenSsl() {
    }

    /** A running {@code openssl s_server}. */
    public static final class Server {
        private final ManagedProcess process;
        private final int port;
        private final Thread responder;

        private Server(ManagedProcess process, int port) {
            this.process = process;
            this.port = port;
            this.responder = new Thread(this::answerSipRequests, "s_server-sip-" + port);
            this.responder.setDaemon(true);
            this.responder.start();
        }

        public int port() {
            return port;
        }

        public ManagedProcess process() {
            return process;
        }

        public String tlsUri(String user) {
            return "sip:" + user + "@127.0.0.1:" + port + ";transport=tls";
        }

        /** The serials of the client certificates this server received, in order. */
        public List<String> clientSerials() {
            List<String> serials = new ArrayList<>();
            Pem.certificatesAfter(process.out(), "Client certificate").forEach(c -> serials.add(Issued.serialHex(c)));
            return serials;
        }

        /** OpenSSL's verification and handshake errors, e.g. {@code verify error:num=26:unsuitable certificate purpose}. */
        public List<String> errors() {
            List<String> errors = new ArrayList<>();
            for (String line : process.out()) {
                if (line.startsWith("verify error:") || line.contains(":error:")) {
                    errors.add(line);
                }
            }
            for (String line : process.err()) {
                if (line.startsWith("verify error:") || line.contains(":error:")) {
                    errors.add(line);
                }
            }
            return errors;
        }

        public Optional<String> awaitError(Duration timeout) {
            return process.awaitAny(l -> l.startsWith("verify error:") || l.contains(":error:"), timeout);
        }

        /** Answers every SIP request it reads with 200 OK, copying Via, From, To, Call-ID and CSeq. */
        private void answerSipRequests() {
            int next = 0;
            while (process.isAlive()) {
                List<String> lines = process.out();
                int start = -1;
                for (int i = next; i < lines.size() && start < 0; i++) {
                    if (lines.get(i).matches("[A-Z]+ sips?:\\S+ SIP/2\\.0")) {
                        start = i;
                    }
                }
                int end = -1;
                for (int i = start + 1; start >= 0 && i < lines.size() && end < 0; i++) {
                    if (lines.get(i).isEmpty()) {
                        end = i;
                    }
                }
                if (start < 0 || end < 0) {
                    next = start < 0 ? lines.size() : start;
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
                for (String header : lines.subList(start + 1, end)) {
                    String name = header.contains(":") ? header.substring(0, header.indexOf(':')).trim().toLowerCase(java.util.Locale.ROOT) : "";
                    switch (name) {
                        case "via", "v", "from", "f", "call-id", "i", "cseq" -> response.append(header).append("\r\n");
                        case "to", "t" -> response.append(header).append(header.contains(";tag=") ? "" : ";tag=openssl").append("\r\n");
                        default -> {
                        }
                    }
                }
                response.append("X-Peer: openssl-s_server\r\nContent-Length: 0\r\n\r\n");
                try {
                    process.sendRaw(response.toString());
                } catch (RuntimeException e) {
                    return;
                }
                next = end + 1;
            }
        }
    }

    /**
     * Starts {@code openssl s_server} on a free loopback port presenting {@code leaf}; with
     * {@code requireClientCertificate} it demands and verifies a client certificate against {@code caFile}.
     */
    public static Server server(Processes processes, Path workDir, String name, Pki.Leaf leaf, Path caFile, boolean requireClientCertificate) {
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port,
            "-cert", leaf.certPem().toString(), "-key", leaf.keyPem().toString(), "-CAfile", caFile.toString()));
        if (requireClientCertificate) {
            command.addAll(List.of("-Verify", "1", "-verify_return_error"));
        }
        ManagedProcess process = processes.add(ManagedProcess.start(name, command, workDir, workDir.resolve(name + ".log"), Map.of(), false));
        if (process.awaitOut(0, "ACCEPT"::equals, Duration.ofSeconds(10)).isEmpty()) {
            throw new AssertionError("openssl s_server did not start\n" + process.transcript());
        }
        return new Server(process, port);
    }

    /**
     * Sends the request; under TLS 1.3 a peer that refuses our certificate does so just after the
     * handshake, and s_client may already have ended by then: that is a refusal, read from its output.
     */
    private static void sendOrNoticeExit(ManagedProcess process, String request) {
        try {
            process.sendRaw(request);
        } catch (java.io.UncheckedIOException e) {
            process.awaitExit(Duration.ofSeconds(5));
        }
    }

    /** What {@code openssl s_client} saw. */
    public record ClientResult(boolean sipOk, String serverSerial, List<String> errors, String responseLine, ManagedProcess process) {
    }

    /**
     * Connects {@code openssl s_client} to {@code port}, presenting {@code clientLeaf} (or no certificate
     * when null), verifying the server against {@code caFile}, sends one SIP OPTIONS and waits for the
     * response or a failure.
     */
    public static ClientResult client(Processes processes, Path workDir, String name, int port, Pki.Leaf clientLeaf, Path caFile,
            Duration timeout) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
            "-CAfile", caFile.toString(), "-verify_return_error", "-nocommands", "-ign_eof"));
        if (clientLeaf != null) {
            command.addAll(List.of("-cert", clientLeaf.certPem().toString(), "-key", clientLeaf.keyPem().toString()));
        }
        ManagedProcess process = processes.add(ManagedProcess.start(name, command, workDir, workDir.resolve(name + ".log"), Map.of(), false));
        Optional<String> connected = process.awaitAny(l -> l.trim().startsWith("Verify return code:") || l.contains(":error:"), timeout);
        if (connected.isPresent() && connected.get().trim().startsWith("Verify return code: 0")) {
            String callId = "openssl-" + UUID.randomUUID() + "@127.0.0.1";
            sendOrNoticeExit(process, "OPTIONS sip:node@127.0.0.1:" + port + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-" + UUID.randomUUID() + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:openssl@127.0.0.1>;tag=openssl\r\n"
                + "To: <sip:node@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n");
            // the status line may follow other output on the same line (s_client's session ticket dump)
            Optional<String> outcome = process.awaitAny(l -> STATUS_LINE.matcher(l).find() || l.contains(":error:") || l.startsWith("closed"), timeout);
            if (outcome.isEmpty() || !STATUS_LINE.matcher(outcome.get()).find()) {
                // refused after the handshake (TLS 1.3): s_client prints the alert and ends
                process.awaitExit(Duration.ofSeconds(5));
            }
        } else {
            // the handshake failed: s_client prints why and ends by itself
            process.awaitExit(timeout);
        }
        List<String> out = process.out();
        List<String> errors = new ArrayList<>();
        for (List<String> lines : List.of(out, process.err())) {
            for (String line : lines) {
                if (line.startsWith("verify error:") || line.contains(":error:")) {
                    errors.add(line);
                }
            }
        }
        String response = out.stream().map(STATUS_LINE::matcher).filter(java.util.regex.Matcher::find).map(m -> m.group())
            .findFirst().orElse(null);
        List<java.security.cert.X509Certificate> server = Pem.certificatesAfter(out, "Server certificate");
        process.closeInput();
        process.close();
        return new ClientResult(response != null && response.startsWith("SIP/2.0 200"), server.isEmpty() ? null : Issued.serialHex(server.get(0)),
            errors, response, process);
    }
}
