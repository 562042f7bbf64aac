package dev.ekubridge.it.support;

import dev.ekubridge.testsupport.process.ManagedProcess;
import dev.ekubridge.testsupport.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kamailio 5.6 from the distribution ({@code kamailio}, {@code kamailio-tls-modules}), run in the
 * foreground as an independent SIP/TLS peer. It listens on TLS and UDP on 127.0.0.1, requires and
 * verifies a client certificate on TLS (OpenSSL's purpose check: clientAuth; Kamailio has no EKU
 * switch), answers {@code OPTIONS sip:kamailio@...} itself with a reply header
 * {@code X-TLS-Peer-Serial: $tls_peer_serial}, and relays every other request with {@code t_relay}
 * (e.g. one received over UDP for {@code sip:core@127.0.0.1:PORT;transport=tls}, as TLS client
 * presenting its {@code [client:default]} certificate); replies coming back over TLS get
 * {@code X-TLS-Next-Hop-Serial: $tls_peer_serial} (the next hop's server certificate). Serials are
 * decimal there.
 */
public final class Kamailio {
    private static final List<String> MODULE_DIRS = List.of(
        "/usr/lib/x86_64-linux-gnu/kamailio/modules", "/usr/lib/aarch64-linux-gnu/kamailio/modules",
        "/usr/lib64/kamailio/modules", "/usr/lib/kamailio/modules", "/usr/local/lib64/kamailio/modules",
        "/usr/local/lib/kamailio/modules");

    private final ManagedProcess process;
    private final int tlsPort;
    private final int udpPort;

    private Kamailio(ManagedProcess process, int tlsPort, int udpPort) {
        this.process = process;
        this.tlsPort = tlsPort;
        this.udpPort = udpPort;
    }

    /** Why Kamailio cannot run here, or empty when it can. */
    public static Optional<String> unavailable() {
        Optional<Path> binary = binary();
        if (binary.isEmpty()) {
            return Optional.of("kamailio is not installed (no kamailio on PATH); install kamailio and kamailio-tls-modules, as .ci/run does");
        }
        if (moduleDir().isEmpty()) {
            return Optional.of("Kamailio's tls module (tls.so) is not installed in " + MODULE_DIRS
                + " or -Dekubridge.it.kamailio.modules; install kamailio-tls-modules, as .ci/run does");
        }
        return Optional.empty();
    }

    static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            Path candidate = Paths.get(dir, "kamailio");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin")) {
            Path candidate = Paths.get(dir, "kamailio");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Optional<Path> moduleDir() {
        String configured = System.getProperty("ekubridge.it.kamailio.modules");
        List<String> dirs = configured != null ? List.of(configured) : MODULE_DIRS;
        return dirs.stream().map(Paths::get).filter(d -> Files.isRegularFile(d.resolve("tls.so"))).findFirst();
    }

    /** A {@code tls.cfg} profile for one role: TLS 1.2 and later, the peer's certificate required and verified against {@code caFile}. */
    private static String tlsSection(String role, Pki.Leaf leaf, Path caFile) {
        return String.join("\n",
            "[" + role + ":default]",
            "method = TLSv1.2+",
            "verify_certificate = yes",
            "require_certificate = yes",
            "private_key = " + leaf.keyPem().toAbsolutePath(),
            "certificate = " + leaf.chainPem().toAbsolutePath(),
            "ca_list = " + caFile.toAbsolutePath(),
            "",
            "");
    }

    /**
     * Starts Kamailio presenting {@code server} when it is the TLS server and {@code client} when it is
     * the TLS client, trusting the anchors in {@code caFile}, and waits until its TLS port accepts.
     */
    public static Kamailio start(Processes processes, Path workDir, Pki.Leaf server, Pki.Leaf client, Path caFile) {
        int tlsPort = Ports.free();
        int udpPort = Ports.free();
        Path dir = workDir.resolve("kamailio").toAbsolutePath();
        Path run = dir.resolve("run");
        try {
            Files.createDirectories(run);
            Files.writeString(dir.resolve("tls.cfg"), tlsSection("server", server, caFile) + tlsSection("client", client, caFile));
            Files.writeString(dir.resolve("kamailio.cfg"), config(dir, moduleDir().orElseThrow(), tlsPort, udpPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of(binary().orElseThrow().toString(),
            "-f", dir.resolve("kamailio.cfg").toString(), "-DD", "-E", "-m", "64", "-M", "8",
            "-Y", run.toString(), "-P", run.resolve("kamailio.pid").toString(), "-w", run.toString()));
        ManagedProcess process = processes.add(ManagedProcess.start("kamailio", command, dir, dir.resolve("kamailio.log"), Map.of(), false));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("kamailio exited at start\n" + process.transcript());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", tlsPort), 200);
                return new Kamailio(process, tlsPort, udpPort);
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new AssertionError("kamailio did not listen on TLS port " + tlsPort + "\n" + process.transcript());
    }

    private static String config(Path dir, Path modules, int tlsPort, int udpPort) {
        return String.join("\n",
            "#!KAMAILIO",
            "debug=2",
            "log_stderror=yes",
            "children=1",
            "tcp_children=2",
            "auto_aliases=no",
            "dns=no",
            "rev_dns=no",
            "use_dns_cache=no",
            "enable_tls=yes",
            "listen=tls:127.0.0.1:" + tlsPort,
            "listen=udp:127.0.0.1:" + udpPort,
            "",
            "mpath=\"" + modules + "/\"",
            "loadmodule \"tls.so\"",
            "loadmodule \"tm.so\"",
            "loadmodule \"sl.so\"",
            "loadmodule \"textops.so\"",
            "loadmodule \"pv.so\"",
            "loadmodule \"xlog.so\"",
            "",
            "modparam(\"tls\", \"config\", \"" + dir.resolve("tls.cfg") + "\")",
            "# a relayed request that gets no answer (the next hop refused our TLS) ends in 3 s, not 30",
            "modparam(\"tm\", \"fr_timer\", 3000)",
            "",
            "request_route {",
            "    if ($pr == \"tls\") {",
            "        xlog(\"L_NOTICE\", \"EKUIT request $rm $ru from $si:$sp over tls peer-serial=$tls_peer_serial\\n\");",
            "    } else {",
            "        xlog(\"L_NOTICE\", \"EKUIT request $rm $ru from $si:$sp over $pr\\n\");",
            "    }",
            "    if (is_method(\"OPTIONS\") && $rU == \"kamailio\") {",
            "        append_to_reply(\"X-TLS-Peer-Serial: $tls_peer_serial\\r\\n\");",
            "        sl_send_reply(\"200\", \"OK\");",
            "        exit;",
            "    }",
            "    remove_hf(\"Route\");",
            "    t_on_reply(\"FROM_NEXT_HOP\");",
            "    if (!t_relay()) {",
            "        sl_reply_error();",
            "    }",
            "    exit;",
            "}",
            "",
            "onreply_route[FROM_NEXT_HOP] {",
            "    if ($pr == \"tls\") {",
            "        xlog(\"L_NOTICE\", \"EKUIT reply $rs from $si:$sp over tls peer-serial=$tls_peer_serial\\n\");",
            "        append_hf(\"X-TLS-Next-Hop-Serial: $tls_peer_serial\\r\\n\");",
            "    }",
            "}",
            "");
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int udpPort() {
        return udpPort;
    }

    public ManagedProcess process() {
        return process;
    }

    /** {@code sip:kamailio@127.0.0.1:PORT;transport=tls}: Kamailio answers this OPTIONS itself. */
    public String tlsUri() {
        return "sip:kamailio@127.0.0.1:" + tlsPort + ";transport=tls";
    }

    /** The loose route through Kamailio's UDP port. */
    public String udpRoute() {
        return "sip:127.0.0.1:" + udpPort + ";lr";
    }

    /** Kamailio's TLS error lines, e.g. {@code TLS accept:error:0A000086:SSL routines::certificate verify failed}. */
    public List<String> tlsErrors() {
        List<String> errors = new ArrayList<>();
        for (String line : process.err()) {
            if (line.contains("tls_err_ret()")) {
                errors.add(line.substring(line.indexOf("tls_err_ret()")));
            }
        }
        return errors;
    }

    public Optional<String> awaitTlsError(String contains, Duration timeout) {
        return process.awaitErr(0, l -> l.contains("tls_err_ret()") && l.contains(contains), timeout);
    }

    public String transcript() {
        return process.transcript();
    }
}
