package dev.ekubridge.agent.cli;

import dev.ekubridge.AgentSupport;
import dev.ekubridge.EkuBridgeConfig;
import dev.ekubridge.EkuBridgeException;
import dev.ekubridge.internal.CertificateText;
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
 *
 * <p>{@code attach PID reload}: the agent installed in that JVM reloads its certificate files; the one line it
 * reports back (through a temporary file) is printed, and the exit status is 0 when it reloaded or nothing had
 * changed, 1 when it refused the new files (keeping the certificates in service) or no agent is installed there.
 */
final class Attach extends Main.Command {
    private final File agentJar;

    /** @param agentJar the jar to load, or {@code null}: the jar this class came from */
    Attach(File agentJar) {
        super("attach",
            "usage: " + Main.JAR + " attach PID [key=value,...|reload] [--json]",
            help("Loads the agent into the running JVM with process id PID, with the agent arguments given (one argument,\n"
                + "key=value pairs separated by commas, as after -javaagent:ekubridge-agent.jar=). The arguments and the files\n"
                + "they name are checked here first, so a mistake is reported here and nothing is attached.\n"
                + "Contexts initialised after the attach are retrofitted; see the README's notes on attaching.\n"
                + "attach PID reload: the agent installed in that JVM reloads its certificate files and says what happened.\n",
                Options.ONLY_JSON_HELP,
                "0 attached (reload: reloaded or unchanged), 1 could not attach or the new files were refused,\n"
                + "2 invalid configuration, 64 usage error"),
            new Options.Spec().flag("--json").positional("PID", true).positional("key=value,...", false));
        this.agentJar = agentJar;
    }

    Attach() {
        this(null);
    }

    static int run(String[] args, File agentJar, PrintStream out, PrintStream err) {
        return Main.execute(new Attach(agentJar), args, out, err, false);
    }

    @Override
    int run(Options options, Io io) throws Options.UsageException {
        String pid = options.positional(0);
        if (!pid.matches("[0-9]{1,10}")) {
            throw new Options.UsageException("PID must be a process id (digits)");
        }
        if ("reload".equals(options.positional(1))) {
            return reload(pid, agentJar != null ? agentJar : Main.agentJar(), io);
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


    /** {@code attach PID reload}: the installed agent reloads and writes one line ("0 ..." or "1 ...") to a file it is given. */
    private static int reload(String pid, File agentJar, Io io) {
        java.nio.file.Path report = null;
        try {
            report = java.nio.file.Files.createTempFile("ekubridge-reload-", ".txt");
            ByteBuddyAgent.attach(agentJar, pid, "reload:" + report.toAbsolutePath());
            String line = new String(java.nio.file.Files.readAllBytes(report), java.nio.charset.StandardCharsets.UTF_8).trim();
            int space = line.indexOf(' ');
            String said = line.isEmpty() ? "reload requested; its log says what happened" : line.substring(space + 1);
            int status = line.isEmpty() || "0".equals(line.substring(0, Math.max(space, 0))) ? Main.OK : Main.FOUND;
            if (io.json) {
                Map<String, Object> document = Json.object();
                document.put("pid", Long.parseLong(pid));
                document.put("reload", said);
                return io.document(document, status);
            }
            io.out.println("JVM " + pid + ": " + CertificateText.printable(said));
            return status;
        } catch (java.io.IOException e) {
            return io.fail(Main.FOUND, "cannot make a file for the agent's reply: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return io.fail(Main.FOUND, "cannot attach to JVM " + pid + ": " + reason(pid, e));
        } finally {
            if (report != null) {
                report.toFile().delete();
            }
        }
    }
}
