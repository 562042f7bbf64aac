package dev.ekubridge.agent;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Reads the configuration, loads and checks every file it names, then instruments every
 * {@code SSLContextSpi.engineInit}. At JVM start an invalid configuration stops the JVM with one
 * line and exit status 2, rather than letting the application run with TLS half-configured; when
 * attached to a running JVM it only refuses to install, since stopping a live service is not ours.
 * Those two lines, and the one for an empty configuration, go to standard error whatever
 * {@code log.file} says: without a valid configuration there is no log to write to.
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
        AgentSupport retrofit;
        EkuBridgeConfig config;
        try {
            config = EkuBridgeConfig.fromSystem(arguments);
            AgentLog.configure(config);
            if (config.isEmpty()) {
                warn(config);
                System.err.println(PREFIX + "no configuration given; TLS is left unchanged");
                return;
            }
            retrofit = AgentSupport.fromConfig(config);
            if (config.diagnosticsDir() != null) {
                retrofit.bridge().writeDiagnostics(config.diagnosticsDir());
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
            AgentLog.get().warn("already installed in this JVM; the new configuration is ignored");
            return;
        }
        try {
            // The bridge must be in the bootstrap loader before any class that refers to it is linked.
            BootstrapInjection.inject(instrumentation);
            Instrumenter.install(instrumentation, retrofit);
        } catch (Throwable e) {
            refuse("cannot install: " + e, atStart);
            return;
        }
        installed = true;
        warn(config);
        AgentLog.get().info("installed: {}", CertificateText.printable(summary(config, retrofit)));
    }

    /** The configuration's warnings (an unrelated EKUBRIDGE_* variable...), one line each in the agent's log. */
    private static void warn(EkuBridgeConfig config) {
        for (String warning : config.warnings()) {
            AgentLog.get().warn("{}", CertificateText.printable(warning));
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
    static String summary(EkuBridgeConfig config, AgentSupport retrofit) {
        String trustKey = AgentSupport.setting(config, "truststore") != null ? "truststore"
            : AgentSupport.setting(config, "truststore.pem") != null ? "truststore.pem" : null;
        return "server role " + describe(config, retrofit, Role.SERVER) + "; client role " + describe(config, retrofit, Role.CLIENT)
            + "; inbound.eku=" + config.inboundEku()
            + "; trust " + (trustKey != null ? "from " + AgentSupport.sourceOf(config, trustKey) : "application's own, wrapped")
            + (config.logHandshakes() ? "; handshake log on" : "");
    }

    private static String describe(EkuBridgeConfig config, AgentSupport retrofit, Role role) {
        if (!config.hasIdentity(role) && !(role == Role.CLIENT && config.clientUsesServerIdentity())) {
            return "application's key manager";
        }
        List<Identity> identities = retrofit.bridge().keyManager().identities(role);
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
