package dev.ekubridge.it.sip;

import gov.nist.javax.sip.TransactionExt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.Transaction;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A SIP node as an operator would write it with the JAIN-SIP reference implementation, knowing nothing
 * of EKU Bridge: one stack listening on TLS (and optionally UDP) on 127.0.0.1, answering OPTIONS and
 * REGISTER with 200 OK, and sending a request to a peer on command. Its TLS comes only from the
 * {@code javax.net.ssl.*} system properties (one key store, one trust store) and the stack's own
 * {@code gov.nist.javax.sip.*} properties, which the JAIN-SIP stack turns into one {@code SSLContext}
 * with one default-algorithm key manager serving both roles (the OIO transport's {@code SslNetworkLayer}).
 *
 * <p>Usage: {@code SipNode --name NAME --tls-port PORT [--udp-port PORT] [--tunnel-port PORT]} (the last runs
 * {@link TlsTunnelService} in the same JVM, beside the SIP listener), with every system property
 * starting {@code javax.net.ssl.}, {@code javax.sip.} or {@code gov.nist.} handed to the stack.
 *
 * <p>Commands on standard input, one per line, answered in order:
 * <ul>
 * <li>{@code SEND METHOD URI [TIMEOUT_MILLIS [ROUTE]]}: sends OPTIONS or REGISTER to the URI (its
 *     {@code transport} parameter picks the listening point), or through the proxy named by the loose
 *     {@code ROUTE} (e.g. {@code sip:127.0.0.1:5060;lr}, whose transport then applies), and prints exactly one of
 *     {@code RESPONSE <code> id=N ...}, {@code RESPONSE_TIMEOUT id=N ...}, {@code TLS_FAILURE id=N <text>};</li>
 * <li>{@code PROBE HOST PORT [TIMEOUT_MILLIS]}: a plain TLS connection through the JVM's default
 *     {@code SSLSocketFactory} (the same {@code javax.net.ssl.*} identity: the node's other TLS service,
 *     e.g. an SSH-like tunnel client), writes {@code PING}, reads one line: {@code PROBE_OK id=N ...} or
 *     {@code PROBE_FAILED id=N <text>};</li>
 * <li>{@code QUIT}, or end of input: exits the JVM (JAIN-SIP's threads are not daemons).</li>
 * </ul>
 * Requests it serves are printed as {@code REQUEST <method> call-id=... transport=... client-serial=...
 * server-serial=...}: the certificate the peer presented as TLS client, and the one this node presented
 * as TLS server, as JAIN-SIP's {@link TransactionExt} reports them (upper-case hexadecimal, {@code -}
 * when there is none).
 */
public final class SipNode implements SipListener {
    private static final Object OUT_LOCK = new Object();

    private final String name;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong tags = new AtomicLong();

    private SipNode(String name, SipProvider provider, AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {
        this.name = name;
        this.provider = provider;
        this.addresses = addresses;
        this.headers = headers;
        this.messages = messages;
    }

    public static void main(String[] args) throws Exception {
        String name = "node";
        int tlsPort = -1;
        int udpPort = -1;
        int tunnelPort = -1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--name" -> name = args[i + 1];
                case "--tls-port" -> tlsPort = Integer.parseInt(args[i + 1]);
                case "--udp-port" -> udpPort = Integer.parseInt(args[i + 1]);
                case "--tunnel-port" -> tunnelPort = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (tlsPort <= 0) {
            throw new IllegalArgumentException("--tls-port is required");
        }
        Properties properties = new Properties();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("javax.net.ssl.") || key.startsWith("javax.sip.") || key.startsWith("gov.nist.")) {
                properties.setProperty(key, System.getProperty(key));
            }
        }
        properties.setProperty("javax.sip.STACK_NAME", name);
        properties.putIfAbsent("gov.nist.javax.sip.TRACE_LEVEL", "ERROR");

        SipNode node;
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            SipStack stack = factory.createSipStack(properties);
            ListeningPoint tls = stack.createListeningPoint("127.0.0.1", tlsPort, ListeningPoint.TLS);
            SipProvider provider = stack.createSipProvider(tls);
            if (udpPort > 0) {
                provider.addListeningPoint(stack.createListeningPoint("127.0.0.1", udpPort, ListeningPoint.UDP));
            }
            node = new SipNode(name, provider, factory.createAddressFactory(), factory.createHeaderFactory(),
                factory.createMessageFactory());
            provider.addSipListener(node);
            stack.start();
            if (tunnelPort > 0) {
                TlsTunnelService.start(tunnelPort);
            }
        } catch (Exception | LinkageError e) {
            print("START_FAILED " + describe(e));
            System.exit(3);
            return;
        }
        print("READY name=" + name + " tls=127.0.0.1:" + tlsPort + (udpPort > 0 ? " udp=127.0.0.1:" + udpPort : "")
            + (tunnelPort > 0 ? " tunnel=127.0.0.1:" + tunnelPort : "")
            + " java=" + System.getProperty("java.version") + " jsse=" + jsseProvider());
        node.commandLoop();
        System.exit(0);
    }

    private static String jsseProvider() {
        try {
            return javax.net.ssl.SSLContext.getInstance("TLS").getProvider().getName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private void commandLoop() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "QUIT" -> {
                    print("BYE");
                    return;
                }
                case "SEND" -> send(commands.incrementAndGet(), words[1], words[2],
                    words.length > 3 ? Long.parseLong(words[3]) : 5000, words.length > 4 ? words[4] : null);
                case "PROBE" -> probe(commands.incrementAndGet(), words[1], Integer.parseInt(words[2]),
                    words.length > 3 ? Integer.parseInt(words[3]) : 5000);
                default -> print("UNKNOWN_COMMAND " + line);
            }
        }
    }

    // --- sending -------------------------------------------------------------------------------

    private void send(long id, String method, String uri, long timeoutMillis, String route) {
        String callId = null;
        try {
            SipURI target = (SipURI) addresses.createURI(uri);
            SipURI firstHop = route == null ? target : (SipURI) addresses.createURI(route);
            String transport = firstHop.getTransportParam() == null ? ListeningPoint.UDP : firstHop.getTransportParam();
            ListeningPoint local = provider.getListeningPoint(transport);
            if (local == null) {
                print("TLS_FAILURE id=" + id + " no listening point for transport " + transport);
                return;
            }
            Address from = addresses.createAddress("sip:" + name + "@127.0.0.1");
            SipURI toUri = (SipURI) target.clone();
            toUri.removeParameter("transport");
            Address to = addresses.createAddress(toUri);
            CallIdHeader callIdHeader = provider.getNewCallId();
            callId = callIdHeader.getCallId();
            List<ViaHeader> vias = new ArrayList<>();
            vias.add(headers.createViaHeader("127.0.0.1", local.getPort(), transport, null));
            CSeqHeader cseq = headers.createCSeqHeader(1L, method);
            MaxForwardsHeader maxForwards = headers.createMaxForwardsHeader(70);
            FromHeader fromHeader = headers.createFromHeader(from, "f" + tags.incrementAndGet());
            ToHeader toHeader = headers.createToHeader(to, null);
            Request request = messages.createRequest(target, method, callIdHeader, cseq, fromHeader, toHeader, vias, maxForwards);
            SipURI contactUri = addresses.createSipURI(name, "127.0.0.1");
            contactUri.setPort(local.getPort());
            contactUri.setTransportParam(transport);
            ContactHeader contact = headers.createContactHeader(addresses.createAddress(contactUri));
            request.addHeader(contact);
            if (route != null) {
                request.addHeader(headers.createRouteHeader(addresses.createAddress(firstHop)));
            }
            if (Request.REGISTER.equals(method)) {
                request.addHeader(headers.createExpiresHeader(300));
            }
            CompletableFuture<String> outcome = new CompletableFuture<>();
            pending.put(callId, outcome);
            ClientTransaction transaction = provider.getNewClientTransaction(request);
            transaction.sendRequest();
            String result;
            try {
                result = outcome.get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                result = "RESPONSE_TIMEOUT id=%d call-id=" + callId + " no response within " + timeoutMillis + " ms";
            }
            print(result.replace("id=%d", "id=" + id));
        } catch (SipException e) {
            print("TLS_FAILURE id=" + id + " call-id=" + callId + " " + describe(e));
        } catch (Exception e) {
            print("SEND_FAILED id=" + id + " " + describe(e));
        } finally {
            if (callId != null) {
                pending.remove(callId);
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CallIdHeader callId = (CallIdHeader) response.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        StringBuilder line = new StringBuilder("RESPONSE ").append(response.getStatusCode()).append(" id=%d")
            .append(" method=").append(cseq == null ? "-" : cseq.getMethod())
            .append(" call-id=").append(callId == null ? "-" : callId.getCallId());
        ClientTransaction transaction = event.getClientTransaction();
        if (transaction != null) {
            line.append(" transport=").append(((TransactionExt) transaction).getTransport())
                .append(" server-serial=").append(peerSerial(transaction))
                .append(" client-serial=").append(localSerial(transaction))
                .append(" suite=").append(cipherSuite(transaction));
        }
        for (Iterator<?> names = response.getHeaderNames(); names.hasNext(); ) {
            String header = (String) names.next();
            if (header.regionMatches(true, 0, "X-", 0, 2)) {
                Header value = response.getHeader(header);
                String text = value.toString().trim();
                int colon = text.indexOf(':');
                line.append(' ').append(header).append('=').append(colon < 0 ? text : text.substring(colon + 1).trim().replace(' ', '_'));
            }
        }
        complete(callId, line.toString());
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        Transaction transaction = event.isServerTransaction() ? event.getServerTransaction() : event.getClientTransaction();
        CallIdHeader callId = transaction == null ? null : (CallIdHeader) transaction.getRequest().getHeader(CallIdHeader.NAME);
        complete(callId, "RESPONSE_TIMEOUT id=%d call-id=" + (callId == null ? "-" : callId.getCallId()) + " transaction timed out");
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        print("IO_EXCEPTION " + event.getHost() + ":" + event.getPort() + " " + event.getTransport());
    }

    private void complete(CallIdHeader callId, String line) {
        CompletableFuture<String> outcome = callId == null ? null : pending.get(callId.getCallId());
        if (outcome != null) {
            outcome.complete(line);
        } else {
            print("STRAY " + line.replace("id=%d ", ""));
        }
    }

    // --- serving -------------------------------------------------------------------------------

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        try {
            ServerTransaction transaction = event.getServerTransaction();
            if (transaction == null) {
                transaction = provider.getNewServerTransaction(request);
            }
            CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
            ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
            print("REQUEST " + method + " call-id=" + callId.getCallId()
                + " transport=" + ((TransactionExt) transaction).getTransport()
                + " via=" + via.getHost() + ":" + via.getPort()
                + " client-serial=" + peerSerial(transaction)
                + " server-serial=" + localSerial(transaction)
                + " suite=" + cipherSuite(transaction));
            int status = Request.OPTIONS.equals(method) || Request.REGISTER.equals(method) ? Response.OK : Response.METHOD_NOT_ALLOWED;
            Response response = messages.createResponse(status, request);
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag("t" + tags.incrementAndGet());
            if (Request.REGISTER.equals(method) && request.getHeader(ContactHeader.NAME) != null) {
                response.addHeader((Header) request.getHeader(ContactHeader.NAME).clone());
            }
            transaction.sendResponse(response);
        } catch (Exception e) {
            print("SERVE_FAILED " + method + " " + describe(e));
        }
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
    }

    private static String peerSerial(Transaction transaction) {
        try {
            return serial(((TransactionExt) transaction).getPeerCertificates());
        } catch (Exception e) {
            return "-";
        }
    }

    private static String cipherSuite(Transaction transaction) {
        try {
            String suite = ((TransactionExt) transaction).getCipherSuite();
            return suite == null ? "-" : suite;
        } catch (Exception e) {
            return "-";
        }
    }

    private static String localSerial(Transaction transaction) {
        try {
            return serial(((TransactionExt) transaction).getLocalCertificates());
        } catch (Exception e) {
            return "-";
        }
    }

    // --- the node's other TLS client: the JVM's default SSLSocketFactory --------------------------

    private void probe(long id, String host, int port, int timeoutMillis) {
        SSLSocketFactory factory = (SSLSocketFactory) SSLSocketFactory.getDefault();
        try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            out.write("PING\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (reply == null) {
                print("PROBE_FAILED id=" + id + " connection closed by the peer without a reply after the handshake");
                return;
            }
            print("PROBE_OK id=" + id + " protocol=" + socket.getSession().getProtocol()
                + " server-serial=" + serial(socket.getSession().getPeerCertificates())
                + " client-serial=" + serial(socket.getSession().getLocalCertificates())
                + " reply=" + reply.replace(' ', '_'));
        } catch (IOException | RuntimeException e) {
            print("PROBE_FAILED id=" + id + " " + describe(e));
        }
    }

    // --- output ----------------------------------------------------------------------------------

    static String serial(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            return "-";
        }
        BigInteger serial = ((X509Certificate) chain[0]).getSerialNumber();
        return serial.toString(16).toUpperCase(Locale.ROOT);
    }

    /** The exception and its causes on one line: {@code Type: message <- Type: message}. */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getName()).append(": ").append(String.valueOf(t.getMessage()).replace('\n', ' '));
        }
        return text.toString();
    }

    static void print(String line) {
        synchronized (OUT_LOCK) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
