package graft.mail;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import graft.http.Exchange;
import graft.http.GraphError;
import graft.http.Json;

import java.util.Locale;

/** What the mail routes expect of a request: its method, a declared length, a JSON or MIME body. */
final class RequestBodies {
    private RequestBodies() {
    }

    static void method(Exchange ex, String allowed) {
        if (!ex.method().equals(allowed)) {
            throw GraphError.methodNotAllowed();
        }
    }

    /** Graph's front door (IIS) refuses a POST or PATCH that says nothing of its length. */
    static void requireLength(Exchange ex) {
        if (!ex.declaresLength()) {
            throw new GraphError(411, "LengthRequired", "The request must be chunked or have a content length.");
        }
    }

    /** contract §1.1, §1.6: a text/plain body is a base64-encoded MIME message. */
    static boolean isMime(Exchange ex) {
        return ex.contentType().toLowerCase(Locale.ROOT).startsWith("text/plain");
    }

    /** The raw body of a MIME request, within the request limit (413 beyond 4 MB). */
    static byte[] mimeBody(Exchange ex) {
        requireLength(ex);
        return ex.body();
    }

    /**
     * The JSON body of a POST or PATCH. Graph's front door wants a length (411 otherwise); an empty body is an
     * empty object where {@code emptyAllowed}.
     */
    static JsonNode jsonBody(Exchange ex, boolean required) {
        requireLength(ex);
        byte[] body = ex.body();
        if (body.length == 0) {
            if (required) {
                throw GraphError.badRequest("Empty Payload. JSON content expected.");
            }
            return Json.MAPPER.createObjectNode();
        }
        String type = ex.contentType().toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.startsWith("application/json")) {
            throw new GraphError(415, "UnsupportedMediaType", type.startsWith("text/plain")
                    ? "MIME content (text/plain) is accepted by sendMail and when creating a message, not here; use application/json."
                    : "The content type '" + ex.contentType() + "' is not supported; use application/json.");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw GraphError.unableToDeserialize("the body: a JSON object was expected.");
            }
            return node;
        } catch (JacksonException e) {
            throw GraphError.unableToDeserialize("the body: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw GraphError.unableToDeserialize("the body.");
        }
    }
}
