package dev.ekubridge.agent.cli;

import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.util.Arrays;

/**
 * {@code java -jar ekubridge-agent.jar COMMAND}: the operator's tool, in the same jar as the agent.
 * Exit status 0 on success, 1 when a check or the demo did not go as expected, 2 for an invalid
 * configuration, 64 for a usage error.
 */
public final class Main {
    static final int USAGE = 64;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || "help".equals(args[0]) || "--help".equals(args[0]) || "-h".equals(args[0])) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "demo":
                return Demo.run(out);
            case "inspect":
                return Inspect.run(rest, out, err);
            case "attach":
                return Attach.run(rest, agentJar(), out, err);
            default:
                // named only when it looks like a command word: never echo what could be a secret typed in its place
                err.println(args[0].matches("[A-Za-z-]{1,32}") ? "unknown command '" + args[0] + "'" : "unknown command (argument 1)");
                usage(err);
                return USAGE;
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: java -jar ekubridge-agent.jar COMMAND");
        out.println("  demo                         play the source document's scenarios on loopback (strict and lenient)");
        out.println("  inspect --config FILE        show each role's identities, their EKUs, and the trust anchors");
        out.println("  attach PID [key=value,...]   load the agent into a running JVM");
        out.println("  attach PID reload            the agent in that JVM reloads its certificate files");
        out.println("as an agent: java -javaagent:ekubridge-agent.jar=key=value,... -jar your-app.jar");
    }

    /** The jar this class was loaded from. */
    static File agentJar() {
        try {
            return new File(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("cannot tell which jar the agent was started from: " + e, e);
        }
    }
}
