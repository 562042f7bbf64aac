package dev.ekubridge.testsupport.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Every process one test started; {@link #close()} (in a try-with-resources, so also when the test
 * fails) stops them all: first their standard input is closed everywhere (our applications exit at end
 * of input), then each is waited for, signalled, and killed if it must be.
 */
public final class Processes implements AutoCloseable {
    private final List<ManagedProcess> started = new ArrayList<>();

    public synchronized ManagedProcess add(ManagedProcess process) {
        started.add(process);
        return process;
    }

    public synchronized List<ManagedProcess> all() {
        return List.copyOf(started);
    }

    /** Everything every process printed, for a failure message. */
    public synchronized String transcripts() {
        StringBuilder text = new StringBuilder();
        for (ManagedProcess process : started) {
            text.append(process.transcript());
        }
        return text.toString();
    }

    @Override
    public synchronized void close() {
        for (ManagedProcess process : started) {
            process.closeInput();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        started.clear();
    }
}
