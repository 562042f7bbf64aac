package dev.ekubridge.agent;
import dev.ekubridge.EkuBridge;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.lang.instrument.Instrumentation;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
/**
 * Reads the configuration, loads and checks every file it names, then instruments every
 * {@code SSLContextSpi.engineInit}. At JVM start an invalid configuration stops the JVM with one
 * line and exit status 2, rather than letting the application run with TLS half-configured; when
 * attached to a running JVM it only refuses to install, since stopping a live service is not ours.
 */
final class AgentInstaller {
    static final int EXIT_INVALID_CONFIGURATION = 2;
    private static final String PREFIX = "EKU Bridge agent: ";
    private static volatile boolean installed;
    private AgentInstaller() {
    }
    /**
     * Never lets anything escape into the JVM's agent loader (which would abort the JVM with exit 134 and a
     * stack trace): an invalid configuration, or anything unexpected while reading it, is one line on
     * standard error; then the JVM stops with exit status 2 at start, and the agent is not installed when
     * attached (the target keeps running).
     */
    static synchronized void install(String arguments, Instrumentation instrumentation, boolean atStart) {
        EkuBridgeConfig config;
        EkuBridge bridge;
        try {
            config = EkuBridgeConfig.fromSystem(arguments);
            AgentLog.configure(config);
            if (config.isEmpty()) {
                warn(config);
                System.err.println(PREFIX + "no configuration given; TLS is left unchanged");
                return;
            }
            bridge = EkuBridge.fromConfigForRetrofit(config);
            if (config.diagnosticsDir() != null) {
                bridge.writeDiagnostics(config.diagnosticsDir());
            }
        } catch (EkuBridgeException e) {
            refuse("invalid configuration: " + e.getMessage(), atStart);
            return;
        } catch (Throwable e) {
            // Not quoted: an unexpected exception's message could hold what it was parsing.
            refuse("invalid configuration: unexpected " + e.getClass().getName() + " while reading it; the agent is not installed",
                atStart);
            return;
        }
        if (installed) {
            System.err.println(PREFIX + "already installed in this JVM; the new configuration is ignored");
            return;
        }
        try {
            // The bridge must be in the bootstrap loader before any class that refers to it is linked.
            BootstrapInjection.inject(instrumentation);
            Instrumenter.install(instrumentation, bridge);
        } catch (Throwable e) {
            refuse("cannot install: " + e, atStart);
            return;
        }
        installed = true;
        warn(config);
        Logger log = LoggerFactory.getLogger("ekubridge.agent");
        log.info("installed: {}", CertificateText.printable(summary(config, bridge)));
    }

    /** The configuration's warnings (an unrelated EKUBRIDGE_* variable...), one line each in the agent's log. */
    private static void warn(EkuBridgeConfig config) {
        if (!config.warnings().isEmpty()) {
            Logger log = LoggerFactory.getLogger("ekubridge.agent");
            for (String warning : config.warnings()) {
                log.warn("{}", CertificateText.printable(warning));
            }
        }
    }

    /** One line, whatever the message holds; exit status 2 at start, nothing installed when attached. */
    private static void refuse(String why, boolean atStart) {
        System.err.println(PREFIX + CertificateText.printable(why));
        System.err.flush();
        if (atStart) {
            System.exit(EXIT_INVALID_CONFIGURATION);
        }
    }

    /** One line: what each role presents, the mode and where trust comes from. */
    static String summary(EkuBridgeConfig config, EkuBridge bridge) {
        return "server role " + describe(config, bridge, Role.SERVER) + "; client role " + describe(config, bridge, Role.CLIENT)
            + "; inbound.eku=" + config.inboundEku()
            + "; trust " + (config.has("truststore") || config.has("truststore.pem") ? "from " + config.sourceOf(
                config.has("truststore") ? "truststore" : "truststore.pem") : "application's own, wrapped")
            + (config.logHandshakes() ? "; handshake log on" : "");
    }
    private static String describe(EkuBridgeConfig config, EkuBridge bridge, Role role) {
        if (!config.hasIdentity(role) && !(role == Role.CLIENT && config.clientUsesServerIdentity())) {
            return "application's key manager";
        }
        List<Identity> identities = bridge.keyManager().identities(role);
        StringBuilder text = new StringBuilder();
        for (Identity identity : identities) {
            text.append(text.length() == 0 ? "" : ", ").append(identity);
        }
        return text.toString();
    }
    static boolean isInstalled() {
        return installed;
    }
}
