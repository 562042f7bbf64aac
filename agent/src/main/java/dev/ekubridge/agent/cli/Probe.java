package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuBridge;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.IDN;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * {@code probe HOST:PORT}: one TLS handshake as a client to a live endpoint, in bounded time. Reports what
 * the server presents (chain, subjects, serials, EKUs, validity) and whether we trust it (as a finding: the
 * handshake goes on either way), whether it asks for a client certificate and which issuers it accepts,
 * which of our identities we presented, and whether the server accepted it (the alert if not; in TLS 1.3 the
 * server's verdict arrives after our handshake is done, so we wait a moment for it).
 */
final class Probe implements Main.Command {
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    /** How long to wait after the handshake for the server's verdict on our certificate (TLS 1.3 sends it then). */
    static final long VERDICT_WAIT_MILLIS = 2000;
    private static final Pattern ALERT = Pattern.compile("alert: ?([a-z_]+)");
    private static final Pattern TARGET = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)\\]|([^:\\s\\[\\]]+)):([0-9]{1,5})");

    @Override
    public String name() {
        return "probe";
    }

    @Override
    public String synopsis() {
        return "usage: " + Main.JAR + " probe HOST:PORT [--config FILE] [key=value ...] [--sni NAME] [--timeout SECONDS] [--json]";
    }

    @Override
    public String help() {
        return "Makes one TLS handshake as a client to HOST:PORT and reports what the server presents (chain, subjects,\n"
            + "serials, EKUs, validity), whether we trust it (reported, never a reason to stop: the handshake goes on),\n"
            + "whether it asks for a client certificate and which issuers it accepts, which of our identities we presented\n"
            + "and whether the server accepted it (the alert if not). With --config (or key=value) the configuration's client\n"
            + "identity and trust are used; without, no client certificate and the JDK default trust store.\n"
            + "\n"
            + "options:\n"
            + "  --config FILE       the properties file (the agent's config=FILE); key=value arguments win over it\n"
            + "  --sni NAME          the server name to send (default: HOST when it is a name, none for an address)\n"
            + "  --timeout SECONDS   bound for connect, handshake and the server's verdict together (default "
            + DEFAULT_TIMEOUT_SECONDS + ", 1 to 300)\n"
            + "  --json              one JSON document on standard output\n"
            + "\n"
            + "exit status: 0 handshake done, server trusted, our certificate (if asked for) accepted; 1 otherwise (no\n"
            + "connection, timeout, handshake failed, server not trusted, our certificate refused); 2 invalid configuration;\n"
            + "64 usage error\n";
    }

    @Override
    public Options.Spec spec() {
        return new Options.Spec().configuration().option("--sni", "NAME").option("--timeout", "SECONDS").flag("--json")
            .positional("HOST:PORT", true);
    }

    /** Everything one probe observed; filled in as the handshake goes, read by the caller at the end or the deadline. */
    static final class Result {
        String host;
        int port;
        String sni;
        int timeoutSeconds;
        String trustSource;
        volatile boolean connected;
        volatile String connectError;
        volatile long connectMillis = -1;
        volatile boolean handshakeDone;
        volatile String handshakeError;
        volatile long handshakeMillis = -1;
        volatile String protocol;
        volatile String cipherSuite;
        /** {@code accepted}, {@code refused}, {@code not-asked}, or {@code unknown}. */
        volatile String peerVerdict = "unknown";
        volatile String alert;
        volatile String verdictDetail;
        volatile boolean timedOut;
        ProbeManagers.Keys keys;
        ProbeManagers.Trust trust;
        Identity presented;
        X509Certificate[] presentedChain;
    }

    @Override
    public int run(Options options, Io io) throws Options.UsageException {
        Matcher target = TARGET.matcher(options.positional(0));
        if (!target.matches()) {
            throw new Options.UsageException("give the server as HOST:PORT (an IPv6 address in brackets: [::1]:5061)");
        }
        int port = Integer.parseInt(target.group(3));
        if (port < 1 || port > 65535) {
            throw new Options.UsageException("PORT must be 1 to 65535");
        }
        int timeout = DEFAULT_TIMEOUT_SECONDS;
        if (options.value("--timeout") != null) {
            timeout = Options.integer(options.value("--timeout"), "--timeout", 1, 300);
        }
        String sni = options.value("--sni");
        if (sni != null) {
            try {
                new SNIHostName(IDN.toASCII(sni));
            } catch (IllegalArgumentException e) {
                throw new Options.UsageException("--sni needs a host NAME");
            }
        }
        Configuration loaded = null;
        if (options.hasConfiguration()) {
            try {
                loaded = Configuration.load(options.configuration());
            } catch (Configuration.Invalid e) {
                return io.fail(Main.INVALID, e.getMessage());
            }
        }
        Result result = new Result();
        result.host = target.group(1) != null ? target.group(1) : target.group(2);
        result.port = port;
        result.timeoutSeconds = timeout;
        EkuBridge bridge = loaded != null ? loaded.bridge : EkuBridge.builder().build();
        result.trustSource = loaded == null || loaded.trustSource() == null ? "the JDK default trust store" : loaded.trustSource();
        result.keys = new ProbeManagers.Keys(loaded == null ? null : (X509ExtendedKeyManager) loaded.bridge.keyManager());
        result.trust = new ProbeManagers.Trust(bridge.trustManager());
        probe(result, sni);
        if (result.keys.alias != null && loaded != null) {
            result.presented = loaded.bridge.keyManager().identity(result.keys.alias);
            result.presentedChain = loaded.bridge.keyManager().getCertificateChain(result.keys.alias);
        }
        Date now = new Date();
        List<String[]> findings = findings(result, loaded, now);
        boolean ok = result.handshakeDone && result.trust.evaluated && result.trust.refusal == null && !"refused".equals(result.peerVerdict);
        int status = ok ? Main.OK : Main.FOUND;
        if (io.json) {
            return io.document(json(result, loaded, findings, now), status);
        }
        print(io.out, result, loaded, findings, now, status);
        io.out.flush();
        return status;
    }

    /** Runs the probe on a daemon thread and waits for it until the deadline; a late thread is cut off by closing its socket. */
    private static void probe(final Result result, final String sni) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(result.timeoutSeconds);
        final Socket[] socket = new Socket[1];
        Thread worker = new Thread(new Runnable() {
            @Override
            public void run() {
                handshake(result, sni, deadline, socket);
            }
        }, "ekubridge-probe");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            result.timedOut = true;
            closeQuietly(socket);
            try {
                worker.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Socket[] socket) {
        synchronized (socket) {
            if (socket[0] != null) {
                try {
                    socket[0].close();
                } catch (IOException e) {
                    // closing to stop it
                }
            }
        }
    }

    private static int remaining(long deadline) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis));
    }

    private static void handshake(Result result, String sni, long deadline, Socket[] holder) {
        Socket plain = new Socket();
        synchronized (holder) {
            holder[0] = plain;
        }
        long start = System.nanoTime();
        try {
            InetAddress address = InetAddress.getByName(result.host);
            plain.connect(new InetSocketAddress(address, result.port), remaining(deadline));
        } catch (UnknownHostException e) {
            result.connectError = "unknown host " + result.host;
            return;
        } catch (ConnectException e) {
            result.connectError = "connection refused: nothing listens on " + result.host + ":" + result.port;
            return;
        } catch (SocketTimeoutException e) {
            result.connectError = "no answer to connect within " + result.timeoutSeconds + " s";
            return;
        } catch (NoRouteToHostException e) {
            result.connectError = "no route to host " + result.host;
            return;
        } catch (IOException | RuntimeException e) {
            result.connectError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return;
        }
        result.connected = true;
        result.connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {result.keys}, new TrustManager[] {result.trust}, null);
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni != null ? sni : result.host, result.port, true);
            synchronized (holder) {
                holder[0] = socket;
            }
            SSLParameters parameters = socket.getSSLParameters();
            if (sni != null) {
                parameters.setServerNames(Collections.<SNIServerName>singletonList(new SNIHostName(IDN.toASCII(sni))));
                socket.setSSLParameters(parameters);
            }
            List<SNIServerName> names = socket.getSSLParameters().getServerNames();
            result.sni = names == null || names.isEmpty() || !(names.get(0) instanceof SNIHostName) ? null
                : ((SNIHostName) names.get(0)).getAsciiName();
            socket.setSoTimeout(remaining(deadline));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            result.handshakeError = "cannot set up TLS: " + e;
            closeQuietly(holder);
            return;
        }
        long handshakeStart = System.nanoTime();
        try {
            socket.startHandshake();
            result.handshakeDone = true;
            result.handshakeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handshakeStart);
            SSLSession session = socket.getSession();
            result.protocol = session.getProtocol();
            result.cipherSuite = session.getCipherSuite();
            awaitVerdict(result, socket, deadline);
        } catch (IOException | RuntimeException e) {
            if (result.timedOut) {
                return;
            }
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            result.handshakeError = e instanceof SocketTimeoutException
                ? "the server did not finish the handshake within " + result.timeoutSeconds + " s" : message;
            Matcher alert = ALERT.matcher(message);
            if (alert.find() && message.contains("Received")) {
                result.alert = alert.group(1);
                if (result.keys.requested) {
                    result.peerVerdict = "refused";
                    result.verdictDetail = "the server ended the handshake with alert " + result.alert + " after asking for our certificate";
                }
            }
        } finally {
            closeQuietly(holder);
        }
    }

    /** After our handshake: the server's verdict on our certificate (TLS 1.3 sends an alert only now). */
    private static void awaitVerdict(Result result, SSLSocket socket, long deadline) {
        if (!result.keys.requested) {
            result.peerVerdict = "not-asked";
            return;
        }
        long wait = Math.min(VERDICT_WAIT_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) - 50);
        if (wait <= 0) {
            result.verdictDetail = "no time left to wait for the server's verdict";
            return;
        }
        try {
            socket.setSoTimeout((int) wait);
            InputStream input = socket.getInputStream();
            int read = input.read();
            if (read < 0) {
                result.peerVerdict = "unknown";
                result.verdictDetail = "the server closed the connection after the handshake, without an alert";
            } else {
                result.peerVerdict = "accepted";
                result.verdictDetail = "the server sent data after the handshake";
            }
        } catch (SocketTimeoutException e) {
            result.peerVerdict = "accepted";
            result.verdictDetail = "no alert within " + wait + " ms after the handshake";
        } catch (SSLException e) {
            String message = String.valueOf(e.getMessage());
            Matcher alert = ALERT.matcher(message);
            result.peerVerdict = "refused";
            result.alert = alert.find() ? alert.group(1) : null;
            result.verdictDetail = result.alert != null ? "sent after the handshake, as TLS 1.3 does" : message;
        } catch (IOException e) {
            // A server that refuses our certificate sends its alert and closes at once; when that close resets the
            // connection, the alert can be lost on our side: a reset right after it asked for our certificate is a refusal.
            boolean reset = e instanceof java.net.SocketException && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT)
                .contains("reset");
            result.peerVerdict = reset ? "refused" : "unknown";
            result.verdictDetail = reset ? "the server reset the connection right after the handshake (its alert, if any, was lost)"
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // findings and output
    // ------------------------------------------------------------------------------------------------

    private static List<String[]> findings(Result result, Configuration loaded, Date now) {
        List<String[]> findings = new ArrayList<String[]>();
        if (result.timedOut) {
            findings.add(new String[] {"BREAKS", "timeout", "no result within the timeout of " + result.timeoutSeconds + " s ("
                + (result.connected ? "connected; the TLS handshake did not finish" : "the connection was not established") + ")"});
        }
        if (result.connectError != null) {
            findings.add(new String[] {"BREAKS", "no-connection", "cannot connect to " + result.host + ":" + result.port + ": "
                + result.connectError});
        }
        if (result.handshakeError != null && !"refused".equals(result.peerVerdict)) {
            findings.add(new String[] {"BREAKS", "handshake-failed", "the handshake failed: " + result.handshakeError});
        }
        X509Certificate[] chain = result.trust.chain;
        if (result.trust.evaluated && result.trust.refusal != null) {
            findings.add(new String[] {"BREAKS", "server-not-trusted", "we do not trust the server's certificate ("
                + result.trustSource + "): " + trustReason(result)});
        }
        if (chain != null && chain.length > 0) {
            String name = result.sni != null ? result.sni : result.host;
            if (!HostNames.matches(chain[0], name)) {
                findings.add(new String[] {"WARNING", "host-name-mismatch", name + " is not among the server certificate's names ("
                    + HostNames.describe(chain[0]) + "): clients that check host names refuse it"});
            }
            long days = CertText.daysLeft(chain[0], now);
            if (days <= Diagnosis.EXPIRY_WARNING_DAYS) {
                findings.add(new String[] {"WARNING", "expires-soon", "the server certificate " + Diagnosis.name(chain[0])
                    + (days < 0 ? " expired " + (-days) + " days ago" : " expires in " + days + " days")});
            }
        }
        if (result.keys.requested) {
            if ("refused".equals(result.peerVerdict)) {
                String what = result.keys.alias == null ? "we presented no client certificate"
                    : "it refused our client certificate " + (result.presentedChain == null ? "" : Diagnosis.name(result.presentedChain[0]));
                String why = result.presented != null && !result.presented.permits(Role.CLIENT)
                    ? ": it lacks clientAuth, which a server that checks EKU strictly requires" : "";
                findings.add(new String[] {"BREAKS", "client-certificate-refused", "the server asks for a client certificate and "
                    + what + why + (result.alert == null ? "" : " (alert " + result.alert + ")")});
            } else if (result.keys.alias == null) {
                findings.add(new String[] {"INFO", "no-client-certificate", "the server asks for a client certificate and we presented"
                    + " none (" + (loaded == null ? "no configuration given: run with --config" : "no client identity fits its key types"
                    + " and accepted issuers") + "); it did not refuse within the wait"});
            }
            if (loaded != null && !result.keys.issuers.isEmpty()) {
                Identity ours = loaded.presented(Role.CLIENT);
                if (ours != null && !issuedByAny(ours, result.keys.issuers)) {
                    findings.add(new String[] {"WARNING", "issuer-not-accepted", "our client identity " + Diagnosis.name(ours.certificate())
                        + " is not issued by a CA the server names (it names " + join(result.keys.issuers) + ")"});
                }
            }
        }
        return findings;
    }

    /** Why we do not trust the server, in words where the JDK's message is a path-building exception. */
    private static String trustReason(Result result) {
        String message = String.valueOf(result.trust.refusal.getMessage());
        X509Certificate[] chain = result.trust.chain;
        if (message.contains("unable to find valid certification path") && chain != null && chain.length > 0) {
            X509Certificate top = chain[chain.length - 1];
            String root = Diagnosis.selfSigned(top) ? top.getSubjectX500Principal().getName() : top.getIssuerX500Principal().getName();
            return "no path to a trust anchor: " + root + " is not among our trust anchors (PKIX: " + message.substring(
                message.lastIndexOf(':') + 1).trim() + ")";
        }
        return message;
    }

    private static boolean issuedByAny(Identity identity, List<String> issuers) {
        for (X509Certificate certificate : identity.chain()) {
            if (issuers.contains(certificate.getIssuerX500Principal().getName())) {
                return true;
            }
        }
        return false;
    }

    private static String join(Collection<String> values) {
        StringBuilder text = new StringBuilder();
        for (String value : values) {
            text.append(text.length() == 0 ? "" : "; ").append(value);
        }
        return text.toString();
    }

    private static void print(PrintStream out, Result result, Configuration loaded, List<String[]> findings, Date now, int status) {
        out.println("EKU Bridge probe: " + text(result.host) + ":" + result.port + " (SNI " + (result.sni == null ? "none" : text(result.sni))
            + "; timeout " + result.timeoutSeconds + " s for connect, handshake and the server's verdict)");
        out.println("connect       " + (result.connected ? "ok in " + result.connectMillis + " ms"
            : "FAILED: " + text(result.connectError == null ? "timed out" : result.connectError)));
        if (result.connected) {
            out.println("handshake     " + (result.handshakeDone
                ? result.protocol + ", " + result.cipherSuite + ", in " + result.handshakeMillis + " ms"
                : "FAILED: " + text(result.handshakeError == null ? "timed out" : result.handshakeError)));
        }
        X509Certificate[] chain = result.trust.chain;
        if (chain != null) {
            out.println("server chain  " + chain.length + (chain.length == 1 ? " certificate" : " certificates"));
            for (int i = 0; i < chain.length; i++) {
                X509Certificate certificate = chain[i];
                out.println("  [" + i + "] subject  " + text(certificate.getSubjectX500Principal().getName()));
                out.println("      serial   " + CertText.serial(certificate));
                out.println("      issuer   " + text(certificate.getIssuerX500Principal().getName()));
                out.println("      valid    " + CertText.validity(certificate, now));
                out.println("      EKU      " + CertText.ekuNames(CertText.ekus(certificate)));
                out.println("      key      " + CertText.key(certificate.getPublicKey()));
            }
            out.println("trust         " + (result.trust.refusal == null ? "trusted by " + text(result.trustSource)
                : "NOT trusted by " + text(result.trustSource) + ": " + text(trustReason(result))));
            String name = result.sni != null ? result.sni : result.host;
            out.println("host name     " + text(name) + (HostNames.matches(chain[0], name) ? " is among" : " is NOT among")
                + " the certificate's names (" + text(HostNames.describe(chain[0])) + ")");
        }
        if (result.connected && (result.handshakeDone || chain != null)) {
            out.println("client cert   " + (result.keys.requested ? "requested; issuers it accepts: " + (result.keys.issuers.isEmpty()
                ? "any (it names none)" : text(join(result.keys.issuers))) : "not requested"));
            if (result.keys.requested) {
                out.println("we presented  " + (result.presentedChain != null ? presented(result, now)
                    : loaded == null ? "nothing (no configuration given: run with --config to present our client identity)"
                    : "nothing (no client identity of ours fits its key types and accepted issuers)"));
                out.println("its verdict   " + verdict(result));
            }
        }
        out.println();
        out.println("findings");
        if (findings.isEmpty()) {
            out.println("  none");
        }
        for (String[] finding : findings) {
            out.println("  " + CertText.pad(finding[0], 8) + " " + text(finding[2]));
        }
        out.println();
        out.println("verdict: " + (status == Main.OK ? "the link works from here" : "the link does not work from here")
            + " (exit " + status + ")");
    }

    private static String presented(Result result, Date now) {
        X509Certificate leaf = result.presentedChain[0];
        return "client " + CertText.serial(leaf) + " " + text(leaf.getSubjectX500Principal().getName()) + ", EKU "
            + CertText.ekuNames(CertText.ekus(leaf)) + ", issued by " + text(leaf.getIssuerX500Principal().getName())
            + (result.presented == null ? "" : ", from " + text(result.presented.source()));
    }

    private static String verdict(Result result) {
        String detail = result.verdictDetail == null ? "" : " (" + text(result.verdictDetail) + ")";
        if ("accepted".equals(result.peerVerdict)) {
            return "accepted" + detail;
        }
        if ("refused".equals(result.peerVerdict)) {
            return "REFUSED" + (result.alert == null ? "" : ": alert " + result.alert) + detail;
        }
        return "unknown" + detail;
    }

    private static Map<String, Object> json(Result result, Configuration loaded, List<String[]> findings, Date now) {
        Map<String, Object> json = Json.object();
        Map<String, Object> target = Json.object();
        target.put("host", result.host);
        target.put("port", result.port);
        target.put("sni", result.sni);
        target.put("timeoutSeconds", result.timeoutSeconds);
        json.put("target", target);
        json.put("connected", result.connected);
        json.put("connectError", result.connectError);
        json.put("connectMillis", result.connectMillis < 0 ? null : result.connectMillis);
        json.put("timedOut", result.timedOut);
        Map<String, Object> handshake = Json.object();
        handshake.put("completed", result.handshakeDone);
        handshake.put("protocol", result.protocol);
        handshake.put("cipherSuite", result.cipherSuite);
        handshake.put("millis", result.handshakeMillis < 0 ? null : result.handshakeMillis);
        handshake.put("error", result.handshakeError);
        json.put("handshake", handshake);
        Map<String, Object> server = Json.object();
        X509Certificate[] chain = result.trust.chain;
        List<Object> certificates = Json.array();
        if (chain != null) {
            for (X509Certificate certificate : chain) {
                certificates.add(CertText.json(certificate, now));
            }
        }
        server.put("chain", certificates);
        Map<String, Object> trust = Json.object();
        trust.put("source", result.trustSource);
        trust.put("evaluated", result.trust.evaluated);
        trust.put("trusted", result.trust.evaluated && result.trust.refusal == null);
        trust.put("reason", result.trust.refusal == null ? null : result.trust.refusal.getMessage());
        server.put("trust", trust);
        if (chain != null && chain.length > 0) {
            String name = result.sni != null ? result.sni : result.host;
            Map<String, Object> hostName = Json.object();
            hostName.put("name", name);
            hostName.put("matches", HostNames.matches(chain[0], name));
            hostName.put("certificateNames", HostNames.describe(chain[0]));
            server.put("hostName", hostName);
        }
        json.put("server", server);
        Map<String, Object> client = Json.object();
        client.put("requested", result.keys.requested);
        client.put("acceptedIssuers", Json.array(result.keys.issuers));
        client.put("keyTypes", Json.array(result.keys.keyTypes));
        client.put("presented", result.presentedChain == null ? null : CertText.json(result.presentedChain[0], now));
        client.put("verdict", result.peerVerdict);
        client.put("alert", result.alert);
        client.put("detail", result.verdictDetail);
        json.put("clientCertificate", client);
        List<Object> list = Json.array();
        for (String[] finding : findings) {
            Map<String, Object> item = Json.object();
            item.put("severity", finding[0].toLowerCase(Locale.ROOT));
            item.put("code", finding[1]);
            item.put("message", finding[2]);
            list.add(item);
        }
        json.put("findings", list);
        json.put("configured", loaded != null);
        return json;
    }

    private static String text(String value) {
        return CertificateText.printable(String.valueOf(value));
    }

    /** Host name matching as HTTPS clients do it (RFC 6125, simplified): SAN DNS names with a left-most wildcard, IP addresses. */
    static final class HostNames {
        private HostNames() {
        }

        static boolean matches(X509Certificate certificate, String name) {
            String wanted = name.toLowerCase(Locale.ROOT);
            boolean ip = wanted.indexOf(':') >= 0 || wanted.matches("[0-9.]+");
            for (List<?> entry : names(certificate)) {
                int type = (Integer) entry.get(0);
                String value = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
                if (ip && type == 7 && sameAddress(value, wanted)) {
                    return true;
                }
                if (!ip && type == 2 && dnsMatches(value, wanted)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean sameAddress(String a, String b) {
            try {
                return InetAddress.getByName(a).equals(InetAddress.getByName(b));
            } catch (UnknownHostException | RuntimeException e) {
                return a.equals(b);
            }
        }

        private static boolean dnsMatches(String pattern, String host) {
            if (pattern.startsWith("*.")) {
                int dot = host.indexOf('.');
                return dot > 0 && host.substring(dot).equals(pattern.substring(1));
            }
            return pattern.equals(host);
        }

        static String describe(X509Certificate certificate) {
            StringBuilder text = new StringBuilder();
            for (List<?> entry : names(certificate)) {
                int type = (Integer) entry.get(0);
                if (type == 2 || type == 7) {
                    text.append(text.length() == 0 ? "" : ", ").append(type == 2 ? "DNS:" : "IP:").append(entry.get(1));
                }
            }
            return text.length() == 0 ? "no DNS or IP subject alternative names" : text.toString();
        }

        private static Collection<List<?>> names(X509Certificate certificate) {
            try {
                Collection<List<?>> names = certificate.getSubjectAlternativeNames();
                return names == null ? Collections.<List<?>>emptyList() : names;
            } catch (CertificateParsingException e) {
                return Collections.<List<?>>emptyList();
            }
        }
    }
}
