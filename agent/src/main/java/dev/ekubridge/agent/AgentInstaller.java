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
    /** The agent argument that asks an installed agent to reload its files ({@code attach PID reload}). */
    static final String RELOAD = "reload";
    private static volatile boolean installed;
    /** What was installed, for a later {@code reload}. */
    private static volatile AgentSupport installedRetrofit;

    private AgentInstaller() {
    }

    /**
     * Never lets anything escape into the JVM's agent loader (which would abort the JVM with exit 134 and a
     * stack trace): an invalid configuration, or anything unexpected while reading it, is one line on
     * standard error; then the JVM stops with exit status 2 at start, and the agent is not installed when
     * attached (the target keeps running).
     */
    static synchronized void install(String arguments, Instrumentation instrumentation, boolean atStart) {
        if (!atStart && arguments != null && (arguments.equals(RELOAD) || arguments.startsWith(RELOAD + ":"))) {
            reload(arguments.length() > RELOAD.length() ? arguments.substring(RELOAD.length() + 1) : null);
            return;
        }
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
            retrofit.bridge().stopReloading();
            AgentLog.get().warn("already installed in this JVM; the new configuration is ignored (to reload the certificate files,"
                + " attach with the argument reload)");
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
        installedRetrofit = retrofit;
        warn(config);
        AgentLog.get().info("installed: {}", CertificateText.printable(summary(config, retrofit)));
    }

    /**
     * {@code attach PID reload}: the installed agent reloads its certificate files ({@code EkuBridge.reload()}) and says what
     * happened in one line, in its log and, when the attaching command named a file, there too (the first field is the
     * exit status the command returns: 0 reloaded or unchanged, 1 refused or nothing installed).
     */
    private static void reload(String reportFile) {
        AgentSupport retrofit = installedRetrofit;
        int status;
        String line;
        if (retrofit == null) {
            status = 1;
            line = "the EKU Bridge agent is not installed in this JVM: nothing to reload";
            System.err.println(PREFIX + line);
        } else {
            try {
                line = retrofit.bridge().reload().toString();
                status = 0;
                AgentLog.get().info("reload: {}", CertificateText.printable(line));
            } catch (EkuBridgeException e) {
                line = e.getMessage();
                status = 1;
                // the bridge has logged the refusal on ekubridge.config already (once per content)
            } catch (RuntimeException e) {
                line = "reload failed unexpectedly (" + e.getClass().getName() + "); the certificates in service are kept";
                status = 1;
                AgentLog.get().warn("{}", line);
            }
        }
        if (reportFile != null) {
            try {
                java.nio.file.Files.write(java.nio.file.Paths.get(reportFile),
                    (status + " " + CertificateText.printable(line) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException | RuntimeException e) {
                AgentLog.get().warn("cannot write the reload's outcome to the attaching command's file ({})", e.getClass().getName());
            }
        }
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
            + (config.logHandshakes() ? "; handshake log on" : "")
            + (config.reloadSeconds() > 0 ? "; certificate files checked every " + config.reloadSeconds() + " s" : "");
    }

    private static String describe(EkuBridgeConfig config, AgentSupport retrofit, Role role) {
        List<Identity> identities = retrofit.bridge().keyManager().identities(role);
        if (identities.isEmpty() || (role == Role.CLIENT && retrofit.clientRoleIsUpgradeDefault())) {
            return "application's key manager";
        }
        StringBuilder text = new StringBuilder();
        for (Identity identity : identities) {
            text.append(text.length() == 0 ? "" : ", ").append(identity);
        }
        if (role == Role.CLIENT && !config.clientPeers().isEmpty()) {
            text.append(" to client.peers ").append(String.join(" ", config.clientPeers())).append(", elsewhere the application's key manager");
        }
        return text.toString();
    }

    static boolean isInstalled() {
        return installed;
    }
}
