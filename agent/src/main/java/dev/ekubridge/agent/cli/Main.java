package dev.ekubridge.agent.cli;

import java.io.File;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code java -jar ekubridge-agent.jar COMMAND}: the operator's tool, in the same jar as the agent.
 *
 * <p>Every command prints a table by default and one JSON document with {@code --json}, prints its help
 * with {@code --help} (exit 0), and answers a usage error with its usage on standard error and exit 64.
 * Anything unexpected is one line on standard error, never a stack trace. Exit statuses: 0 success or
 * nothing will break, 1 something will break or did not go as expected, 2 an invalid configuration,
 * 64 a usage error.
 */
public final class Main {
    static final int OK = 0;
    static final int FOUND = 1;
    static final int INVALID = 2;
    static final int USAGE = 64;

    static final String JAR = "java -jar ekubridge-agent.jar";

    /**
     * One command: its name, usage, help and arguments, which {@link Main#execute} answers {@code --help} and usage
     * errors from, and what it does with its parsed arguments.
     */
    abstract static class Command {
        final String name;
        /** The synopsis lines, each starting with {@code usage:} or spaces. */
        final String synopsis;
        /** Everything after the synopsis in {@code --help}: what it does, options, exit statuses. */
        final String help;
        final Options.Spec spec;

        Command(String name, String synopsis, String help, Options.Spec spec) {
            this.name = name;
            this.synopsis = synopsis;
            this.help = help;
            this.spec = spec;
        }

        /**
         * A command's {@code --help} after its synopsis, as every command lays it out: what it does, its options,
         * its exit statuses, a blank line between them.
         *
         * @param what the description, each line ending in a newline
         * @param options the option lines, each ending in a newline
         * @param exitStatus the exit statuses after {@code exit status: }, without the final newline
         */
        static String help(String what, String options, String exitStatus) {
            return what + "\n" + "options:\n" + options + "\n" + "exit status: " + exitStatus + "\n";
        }

        /** Its exit status; a configuration it loads and finds invalid ends it with {@link #INVALID}. */
        abstract int run(Options options, Io io) throws Options.UsageException, Configuration.Invalid;
    }

    private static final Command[] COMMANDS = {new Doctor(), new Probe(), new Dump(), new Bench(), new Inspect(), new Demo(),
        new Attach()};

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, Terminal.isStandardError()));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    static int run(String[] args, PrintStream out, PrintStream err, boolean errIsTerminal) {
        if (args.length == 0) {
            usage(err);
            return USAGE;
        }
        String first = args[0];
        if ("help".equals(first) || "--help".equals(first) || "-h".equals(first)) {
            if (args.length > 1 && command(args[1]) != null) {
                return execute(command(args[1]), new String[] {"--help"}, out, err, errIsTerminal);
            }
            usage(out);
            return OK;
        }
        if ("--version".equals(first) || "version".equals(first)) {
            return version(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        Command command = command(first);
        if (command == null) {
            // named only when it looks like a command word: never echo what could be a secret typed in its place
            err.println(first.matches("[A-Za-z-]{1,32}") ? "unknown command '" + first + "'" : "unknown command (argument 1)");
            usage(err);
            return USAGE;
        }
        return execute(command, Arrays.copyOfRange(args, 1, args.length), out, err, errIsTerminal);
    }

    private static Command command(String name) {
        for (Command command : COMMANDS) {
            if (command.name.equals(name)) {
                return command;
            }
        }
        return null;
    }

    /** Runs one command: help, parsing, usage errors, and the last line of defence against anything unexpected. */
    static int execute(Command command, String[] args, PrintStream out, PrintStream err, boolean errIsTerminal) {
        if (Options.wantsHelp(args)) {
            out.println(command.synopsis);
            out.println();
            out.print(command.help);
            out.flush();
            return OK;
        }
        Io io = new Io(command.name, out, err, Options.wantsJson(args), errIsTerminal);
        try {
            Options options = Options.parse(args, command.spec);
            return command.run(options, io);
        } catch (Options.UsageException e) {
            return usageError(command, e.getMessage(), err);
        } catch (Configuration.Invalid e) {
            return io.fail(INVALID, e.getMessage());
        } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
            // Never a stack trace, and not the message: it could quote what was being parsed.
            return io.fail(FOUND, "unexpected " + e.getClass().getName() + " in " + command.name + "; nothing else is known");
        }
    }

    static int usageError(Command command, String message, PrintStream err) {
        err.println(command.name + ": " + message);
        err.println(command.synopsis);
        err.println("(" + JAR + " " + command.name + " --help for more)");
        err.flush();
        return USAGE;
    }

    static void usage(PrintStream out) {
        out.println("usage: " + JAR + " COMMAND [--json] [--help]");
        out.println("       " + JAR + " --version | --help");
        out.println();
        out.println("commands:");
        out.println("  doctor --config FILE        predict which mutual-TLS links will break, by whom and why (exit 1 if any)");
        out.println("  probe HOST:PORT              one TLS handshake as a client: what the server presents and asks for");
        out.println("  dump --config FILE --out DIR write the certificates in use as PEM files and a summary (no private key)");
        out.println("  bench --config FILE          handshakes per second: EKU Bridge's managers against the JDK's, same certificates");
        out.println("  inspect --config FILE        show each role's identities, their EKUs, and the trust anchors");
        out.println("  demo                         play the scenarios of docs/scenarios.md on loopback (strict and lenient)");
        out.println("  attach PID [key=value,...]   load the agent into a running JVM");
        out.println("  attach PID reload            the agent in that JVM reloads its certificate files");
        out.println("Where a command takes --config FILE it also takes the agent's key=value arguments instead of or after it.");
        out.println("Every command: --json for one JSON document on standard output, --help for its options and exit statuses.");
        out.println("As an agent: java -javaagent:ekubridge-agent.jar=key=value,... -jar your-app.jar");
        out.flush();
    }

    /** {@code --version}: the jar manifest's Implementation-Version. */
    private static int version(String[] rest, PrintStream out, PrintStream err) {
        boolean json = false;
        for (String arg : rest) {
            if ("--json".equals(arg)) {
                json = true;
            } else {
                err.println("--version: unexpected argument");
                err.println("usage: " + JAR + " --version [--json]");
                return USAGE;
            }
        }
        String version = version();
        if (json) {
            Map<String, Object> document = Json.object();
            document.put("command", "version");
            document.put("version", version);
            document.put("java", System.getProperty("java.version"));
            document.put("exitStatus", OK);
            out.println(Json.write(document));
        } else {
            out.println("EKU Bridge agent " + (version == null ? "(version unknown: not run from the agent jar)" : version)
                + " on Java " + System.getProperty("java.version"));
        }
        out.flush();
        return OK;
    }

    /** The Implementation-Version of the jar this class came from, or {@code null} when not run from the jar. */
    static String version() {
        Package pkg = Main.class.getPackage();
        return pkg == null ? null : pkg.getImplementationVersion();
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
