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
 */
final class Attach {
    private Attach() {
    }

    static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2 || !args[0].matches("[0-9]+")) {
            err.println("usage: java -jar ekubridge-agent.jar attach PID [key=value,...]");
            return Main.USAGE;
        }
        String pid = args[0];
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
}
