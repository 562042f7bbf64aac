package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(args, o, e);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
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
