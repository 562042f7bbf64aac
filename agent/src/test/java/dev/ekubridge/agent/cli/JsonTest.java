package dev.ekubridge.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's own JSON writer, read back by Jackson. */
class JsonTest {
    @Test
    void everyStringSurvivesARoundTripAndTheDocumentIsAscii() {
        String hostile = "CN=\"quoted\" \\ back\nslash\t\u0000\u001b[31m\u007f \u00e9t\u00e9 \u2028 \ud83d\udd12 end";
        Map<String, Object> document = Json.object();
        document.put("subject", hostile);
        document.put(hostile, "as a key too");
        document.put("list", Arrays.asList(1, 2.5, -3L, true, null, "x"));
        document.put("nested", Json.object());
        document.put("empty", Json.array());
        document.put("nan", Double.NaN);

        String text = Json.write(document);

        assertThat(text.chars()).allMatch(c -> c == '\n' || (c >= 0x20 && c < 0x7f));
        JsonNode parsed = Cli.parse(text);
        assertThat(parsed.get("subject").asText()).isEqualTo(hostile);
        assertThat(parsed.get(hostile).asText()).isEqualTo("as a key too");
        assertThat(parsed.get("list").toString()).isEqualTo("[1,2.5,-3,true,null,\"x\"]");
        assertThat(parsed.get("nested").isObject()).isTrue();
        assertThat(parsed.get("empty").isArray()).isTrue();
        assertThat(parsed.get("nan").isNull()).isTrue();
    }
}
