package dev.ekubridge.agent.cli;

import dev.ekubridge.internal.CertificateText;
import java.io.PrintStream;
import java.util.Map;

/**
 * Where a command writes: its report on standard output (a table, or with {@code --json} exactly one
 * JSON document and nothing else), errors and progress on standard error.
 */
final class Io {
    final String command;
    final PrintStream out;
    final PrintStream err;
    final boolean json;
    /** Whether standard error is a terminal: progress is then one line rewritten in place. */
    final boolean errIsTerminal;

    Io(String command, PrintStream out, PrintStream err, boolean json, boolean errIsTerminal) {
        this.command = command;
        this.out = out;
        this.err = err;
        this.json = json;
        this.errIsTerminal = errIsTerminal;
    }

    /**
     * A failure: one line {@code error: MESSAGE} on standard error and, with {@code --json}, a document
     * {@code {"command", "exitStatus", "error"}} on standard output, so that a script always gets one.
     *
     * @return {@code status}
     */
    int fail(int status, String message) {
        String line = CertificateText.printable(message);
        err.println("error: " + line);
        if (json) {
            Map<String, Object> document = Json.object();
            document.put("command", command);
            document.put("exitStatus", status);
            document.put("error", line);
            out.println(Json.write(document));
        }
        out.flush();
        err.flush();
        return status;
    }

    /** Prints the command's JSON document, with its exit status added, and returns that status. */
    int document(Map<String, Object> document, int status) {
        Map<String, Object> complete = Json.object();
        complete.put("command", command);
        complete.putAll(document);
        complete.put("exitStatus", status);
        out.println(Json.write(complete));
        out.flush();
        return status;
    }
}
