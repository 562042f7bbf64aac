package dev.ekubridge.agent.cli;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.internal.CertificateText;
import java.io.File;
import java.io.PrintStream;
import java.util.Collections;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code attach PID [key=value,...]}: checks the configuration here first, so that a mistake is
 * reported to the operator instead of being printed on the target's standard error, then loads the
 * agent into the running JVM. The target reads its own {@code -Dekubridge.*} and {@code EKUBRIDGE_*}
 * too; the check here only covers the arguments and the files they name, read from this machine.
 *
 * <p>{@code attach PID reload}: the agent installed in that JVM reloads its certificate files; the one line it
 * reports back (through a temporary file) is printed, and the exit status is 0 when it reloaded or nothing had
 * changed, 1 when it refused the new files (keeping the certificates in service) or no agent is installed there.
 */
final class Attach {
    private Attach() {
    }

    static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2 || !args[0].matches("[0-9]+")) {
            err.println("usage: java -jar ekubridge-agent.jar attach PID [key=value,...|reload]");
            return Main.USAGE;
        }
        String pid = args[0];
        if (args.length == 2 && "reload".equals(args[1])) {
            return reload(pid, agentJar, out, err);
        }
        String arguments = args.length == 2 ? args[1] : "";
        try {
            EkuBridgeConfig config = EkuBridgeConfig.load(arguments,
                Collections.<String, String>emptyMap(), Inspect.passwordVariables());
            config.logFile(); // checked as the agent checks it
            if (!config.isEmpty()) {
                AgentSupport.fromConfig(config);
            }
        } catch (EkuBridgeException e) {
            err.println("error: " + CertificateText.printable(e.getMessage()));
            return 2;
        } catch (RuntimeException | Error e) {
            // Never a stack trace, and not the message: it could quote what was being parsed.
            err.println("error: unexpected " + e.getClass().getName() + " while reading the configuration; nothing was attached");
            return 2;
        }
        try {
            ByteBuddyAgent.attach(agentJar, pid, arguments);
        } catch (RuntimeException e) {
            err.println("error: cannot attach to JVM " + pid + ": " + CertificateText.printable(e.getMessage()));
            return 1;
        }
        out.println("EKU Bridge agent loaded into JVM " + pid + "; its standard error shows what was installed");
        return 0;
    }

    private static int reload(String pid, File agentJar, PrintStream out, PrintStream err) {
        java.nio.file.Path report = null;
        try {
            report = java.nio.file.Files.createTempFile("ekubridge-reload-", ".txt");
            ByteBuddyAgent.attach(agentJar, pid, "reload:" + report.toAbsolutePath());
            String line = new String(java.nio.file.Files.readAllBytes(report), java.nio.charset.StandardCharsets.UTF_8).trim();
            if (line.isEmpty()) {
                out.println("JVM " + pid + ": reload requested; its log says what happened");
                return 0;
            }
            int space = line.indexOf(' ');
            out.println("JVM " + pid + ": " + line.substring(space + 1));
            return "0".equals(line.substring(0, Math.max(space, 0))) ? 0 : 1;
        } catch (java.io.IOException e) {
            err.println("error: cannot make a file for the agent's reply: " + CertificateText.printable(e.getMessage()));
            return 1;
        } catch (RuntimeException e) {
            err.println("error: cannot attach to JVM " + pid + ": " + CertificateText.printable(e.getMessage()));
            return 1;
        } finally {
            if (report != null) {
                report.toFile().delete();
            }
        }
    }
}
