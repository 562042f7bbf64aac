package dev.ekubridge.testsupport.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process a test started: its standard output and error are read line by line (and copied to a log
 * file), its standard input takes commands, and {@link #close()} stops it and everything it started,
 * also when the test failed. Lines are kept per stream, in order, so that a test can wait for a line
 * that matches and read the lines around it.
 */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final Writer log;
    private final OutputStream stdin;
    private final List<String> command;
    private final boolean stopsAtEndOfInput;
    private int pumpsDone;

    private ManagedProcess(String name, Process process, Path logFile, List<String> command, boolean stopsAtEndOfInput) throws IOException {
        this.name = name;
        this.stopsAtEndOfInput = stopsAtEndOfInput;
        this.process = process;
        this.command = command;
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        this.stdin = process.getOutputStream();
        synchronized (this) {
            log.write("# " + String.join(" ", command) + "\n");
        }
        pump(process.getInputStream(), out, "out");
        pump(process.getErrorStream(), err, "err");
    }

    /**
     * Starts {@code command} in {@code workDir}, in the test's environment less {@code EKUBRIDGE_*},
     * {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS}, plus {@code env}; {@code logFile} receives both streams,
     * each line tagged.
     * {@code stopsAtEndOfInput}: closing its standard input ends it (our Java applications), so
     * {@link #close()} gives it a moment before it signals.
     */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path logFile, Map<String, String> env,
            boolean stopsAtEndOfInput) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // nothing of the test's own environment may configure the agent or the JVMs behind the test's back
        builder.environment().keySet().removeIf(key -> key.startsWith("EKUBRIDGE_") || key.equals("JAVA_TOOL_OPTIONS")
            || key.equals("JDK_JAVA_OPTIONS"));
        if (env != null) {
            builder.environment().putAll(env);
        }
        try {
            Files.createDirectories(logFile.getParent());
            return new ManagedProcess(name, builder.start(), logFile, command, stopsAtEndOfInput);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    /**
     * Runs {@code command} to its end with no standard input, at most {@code timeout} (else it is stopped and an
     * {@link AssertionError} tells what it printed); its log is {@code workDir/name-N.log}.
     */
    public static Outcome run(String name, List<String> command, Path workDir, Map<String, String> env, Duration timeout) {
        try (ManagedProcess process = start(name, command, workDir, workDir.resolve(name + "-" + System.nanoTime() + ".log"),
                env, true)) {
            process.closeInput();
            if (!process.awaitExit(timeout)) {
                throw new AssertionError("process did not finish within " + timeout + process.outcome().describe());
            }
            return process.outcome();
        }
    }

    /** What the process printed so far, and its exit status (-1 while it runs). */
    public synchronized Outcome outcome() {
        return new Outcome(command, process.isAlive() ? -1 : process.exitValue(), text(out), text(err));
    }

    private static String text(List<String> lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        return text.toString();
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    private void pump(InputStream stream, List<String> lines, String tag) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (this) {
                        lines.add(line);
                        try {
                            log.write(tag + "| " + line + "\n");
                            log.flush();
                        } catch (IOException ignored) {
                            // the log copy is for people; the lines themselves are kept in memory
                        }
                        notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            synchronized (this) {
                pumpsDone++;
                notifyAll();
            }
        }, name + "-" + tag);
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized int outSize() {
        return out.size();
    }

    public synchronized int errSize() {
        return err.size();
    }

    public synchronized List<String> out() {
        return List.copyOf(out);
    }

    public synchronized List<String> err() {
        return List.copyOf(err);
    }

    /** Writes one line to the process's standard input. */
    public void send(String line) {
        try {
            synchronized (this) {
                log.write("in | " + line + "\n");
                log.flush();
            }
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not take input (exited? " + describeExit() + ")", e);
        }
    }

    /** Writes raw bytes to standard input. */
    public void sendRaw(String text) {
        try {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not take input (exited? " + describeExit() + ")", e);
        }
    }

    /** The first standard-output line at or after {@code from} that matches, waiting up to {@code timeout}. */
    public Optional<String> awaitOut(int from, Predicate<String> match, Duration timeout) {
        return await(out, from, match, timeout);
    }

    /** The first standard-error line at or after {@code from} that matches, waiting up to {@code timeout}. */
    public Optional<String> awaitErr(int from, Predicate<String> match, Duration timeout) {
        return await(err, from, match, timeout);
    }

    /** The first line of either stream (standard output first) that matches, waiting up to {@code timeout}. */
    public Optional<String> awaitAny(Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (true) {
                for (List<String> lines : List.of(out, err)) {
                    for (String line : lines) {
                        if (match.test(line)) {
                            return Optional.of(line);
                        }
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                waitQuietly(left);
            }
        }
    }

    private Optional<String> await(List<String> lines, int from, Predicate<String> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            int next = from;
            while (true) {
                while (next < lines.size()) {
                    String line = lines.get(next++);
                    if (match.test(line)) {
                        return Optional.of(line);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || pumpsDone == 2) {
                    return Optional.empty();
                }
                waitQuietly(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    private void waitQuietly(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Waits until the process has ended and both its streams are read to the end. */
    public boolean awaitExit(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (pumpsDone < 2 || process.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waitQuietly(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String describeExit() {
        return process.isAlive() ? "running" : "exit status " + process.exitValue();
    }

    /** Everything the process printed, for assertion messages. */
    public synchronized String transcript() {
        StringBuilder text = new StringBuilder("--- ").append(name).append(" (").append(describeExit()).append(")\n");
        for (String line : out) {
            text.append("out| ").append(line).append('\n');
        }
        for (String line : err) {
            text.append("err| ").append(line).append('\n');
        }
        return text.toString();
    }

    /** Closes its standard input: our Java applications exit then; see {@link #close()}. */
    public void closeInput() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** Ends the process: closes its input (our applications exit then), then SIGTERM, then SIGKILL; its children too. */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        List<ProcessHandle> children = process.descendants().toList();
        try {
            if (!process.waitFor(stopsAtEndOfInput ? 2000 : 0, TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        synchronized (this) {
            try {
                log.write("# stopped: " + describeExit() + "\n");
                log.close();
            } catch (IOException ignored) {
                // nothing to add
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
