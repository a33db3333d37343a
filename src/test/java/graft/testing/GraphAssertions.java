package graft.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks on raw responses: JSON bodies and Graph's error envelope. */
public final class GraphAssertions {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private GraphAssertions() {
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return MAPPER.readTree(r.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /**
     * Asserts status and Graph error code, and that the body is the full envelope the SDK can parse:
     * application/json with error.code, error.message and innerError.{date, request-id, client-request-id}.
     * @return the {@code error} object
     */
    public static JsonNode assertGraphError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode error = json(r).path("error");
        assertThat(error.path("code").asText()).as("code in %s", r.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        JsonNode inner = error.path("innerError");
        assertThat(inner.path("date").asText()).isNotBlank();
        assertThat(inner.path("request-id").asText()).isEqualTo(r.headers().firstValue("request-id").orElseThrow());
        assertThat(inner.path("client-request-id").asText()).isEqualTo(r.headers().firstValue("client-request-id").orElseThrow());
        return error;
    }
}
