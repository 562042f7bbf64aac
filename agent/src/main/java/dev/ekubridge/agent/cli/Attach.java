package dev.ekubridge.agent.cli;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code attach PID [key=value,...]}: checks the configuration here first, so that a mistake is
 * reported to the operator instead of being printed on the target's standard error, then loads the
 * agent into the running JVM. The target reads its own {@code -Dekubridge.*} and {@code EKUBRIDGE_*}
 * too; the check here only covers the arguments and the files they name, read from this machine.
 *
 * <p>When attaching fails, the reason is named in words (no such process, not a JVM that accepts an agent,
 * another user's), never as the attach library's object.
 */
final class Attach implements Main.Command {
    private final File agentJar;

    /** @param agentJar the jar to load, or {@code null}: the jar this class came from */
    Attach(File agentJar) {
        this.agentJar = agentJar;
    }

    Attach() {
        this(null);
    }

    static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        return Main.execute(new Attach(agentJar), args, out, err, false);
    }

    @Override
    public String name() {
        return "attach";
    }

    @Override
    public String synopsis() {
        return "usage: " + Main.JAR + " attach PID [key=value,...] [--json]";
    }

    @Override
    public String help() {
        return "Loads the agent into the running JVM with process id PID, with the agent arguments given (one argument,\n"
            + "key=value pairs separated by commas, as after -javaagent:ekubridge-agent.jar=). The arguments and the files\n"
            + "they name are checked here first, so a mistake is reported here and nothing is attached.\n"
            + "Contexts initialised after the attach are retrofitted; see the README's notes on attaching.\n"
            + "\n"
            + "options:\n"
            + "  --json   one JSON document on standard output\n"
            + "\n"
            + "exit status: 0 attached, 1 could not attach (the reason in words), 2 invalid configuration, 64 usage error\n";
    }

    @Override
    public Options.Spec spec() {
        return new Options.Spec().flag("--json").positional("PID", true).positional("key=value,...", false);
    }

    @Override
    public int run(Options options, Io io) throws Options.UsageException {
        String pid = options.positional(0);
        if (!pid.matches("[0-9]{1,10}")) {
            throw new Options.UsageException("PID must be a process id (digits)");
        }
        String arguments = options.positional(1) == null ? "" : options.positional(1);
        try {
            EkuBridgeConfig config = EkuBridgeConfig.load(arguments,
                Collections.<String, String>emptyMap(), Configuration.passwordVariables());
            config.logFile(); // checked as the agent checks it
            if (!config.isEmpty()) {
                AgentSupport.fromConfig(config);
            }
        } catch (EkuBridgeException e) {
            return io.fail(Main.INVALID, String.valueOf(e.getMessage()) + "; nothing was attached");
        } catch (RuntimeException | LinkageError e) {
            // Not the message: it could quote what was being parsed.
            return io.fail(Main.INVALID, "unexpected " + e.getClass().getName() + " while reading the configuration; nothing was attached");
        }
        String problem = processProblem(pid);
        if (problem != null) {
            return io.fail(Main.FOUND, "cannot attach to JVM " + pid + ": " + problem);
        }
        File jar = agentJar != null ? agentJar : Main.agentJar();
        try {
            ByteBuddyAgent.attach(jar, pid, arguments);
        } catch (RuntimeException | LinkageError e) {
            return io.fail(Main.FOUND, "cannot attach to JVM " + pid + ": " + reason(pid, e));
        }
        if (io.json) {
            Map<String, Object> document = Json.object();
            document.put("pid", Long.parseLong(pid));
            document.put("attached", true);
            return io.document(document, Main.OK);
        }
        io.out.println("EKU Bridge agent loaded into JVM " + pid + "; its standard error shows what was installed");
        return Main.OK;
    }

    /** What is known to be wrong with the process before trying, or {@code null}: it exists (or cannot be told). */
    static String processProblem(String pid) {
        Boolean alive = processExists(Long.parseLong(pid));
        if (Boolean.FALSE.equals(alive)) {
            return "no process with PID " + pid + " on this machine";
        }
        return null;
    }

    /** Whether a process exists: {@code ProcessHandle} on Java 9+, {@code /proc} on Linux, else {@code null}. */
    private static Boolean processExists(long pid) {
        try {
            Class<?> handle = Class.forName("java.lang.ProcessHandle");
            Method of = handle.getMethod("of", long.class);
            Object optional = of.invoke(null, pid);
            return (Boolean) optional.getClass().getMethod("isPresent").invoke(optional);
        } catch (Exception | LinkageError e) {
            File proc = new File("/proc");
            boolean linux = proc.isDirectory() && new File(proc, "self").exists();
            return linux ? Boolean.valueOf(new File(proc, Long.toString(pid)).exists()) : null;
        }
    }

    /**
     * Why the attach failed, in words. Byte Buddy reports "Error during attachment using: " and its provider object;
     * the JDK's reason is the cause, when there is one.
     */
    static String reason(String pid, Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String detail = cause == failure ? null : cause.getMessage();
        String name = cause.getClass().getName();
        if (processProblem(pid) != null) {
            return processProblem(pid);
        }
        StringBuilder reason = new StringBuilder();
        if (name.endsWith("AttachNotSupportedException") || name.endsWith("IOException") || cause == failure) {
            reason.append("the process is not a JVM that accepts an agent (a process of another user, a JVM started with"
                + " -XX:+DisableAttachMechanism, or not a Java process at all); run attach as the target's user, with a Java"
                + " of the same vendor and version family");
        } else {
            reason.append("the attach failed (").append(cause.getClass().getSimpleName()).append(')');
        }
        if (detail != null && !detail.trim().isEmpty() && !detail.contains("@")) {
            reason.append(": ").append(detail.trim());
        }
        return reason.toString();
    }
}
