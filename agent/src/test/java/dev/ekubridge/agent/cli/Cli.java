package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the command line in this JVM ({@link Main#run}) and keeps what it printed. */
final class Cli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    record Run(int status, String out, String err) {
        /** Standard output parsed as exactly one JSON document (Jackson refuses trailing content). */
        JsonNode json() {
            return parse(out);
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** An entry point that writes to the streams it is given and returns an exit status. */
    interface Entry {
        int run(PrintStream out, PrintStream err);
    }

    static Run run(String... args) {
        return capture((out, err) -> Main.run(args, out, err));
    }

    /** Runs {@code entry} with standard output and error captured as UTF-8. */
    static Run capture(Entry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = entry.run(o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code COMMAND --config CONFIG MORE...}. */
    static Run withConfig(String command, Path config, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = command;
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(more, 0, args, 3, more.length);
        return run(args);
    }

    /** One JSON document and nothing else: trailing tokens fail. */
    static JsonNode parse(String text) {
        try {
            JsonNode node = JSON.readerFor(JsonNode.class)
                .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(text);
            assertThat(node).as("a JSON document in:%n%s", text).isNotNull();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("not one JSON document:\n" + text, e);
        }
    }
}
