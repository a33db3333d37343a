package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of {@code sendMail}. Names match case-insensitively (the CSDL says {@code Message}, the docs
 * {@code message}); {@code saveToSentItems} may be a boolean or the string "true"/"false" and defaults to true.
 */
record SendMailRequest(JsonNode message, boolean saveToSentItems) {
    static SendMailRequest parse(JsonNode body) {
        JsonNode message = null;
        boolean save = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            var f = it.next();
            String name = f.getKey().toLowerCase(Locale.ROOT);
            JsonNode v = f.getValue();
            switch (name) {
                case "message" -> message = v;
                case "savetosentitems" -> save = bool(v);
                default -> {
                    if (!name.startsWith("@")) {
                        throw GraphError.badRequest("The parameter '" + f.getKey()
                                + "' in the request payload is not a valid parameter for the operation 'sendMail'.");
                    }
                }
            }
        }
        if (message == null || message.isNull()) {
            throw GraphError.badRequest("The parameter 'Message' in the request payload is required for the operation 'sendMail'.");
        }
        if (!message.isObject()) {
            throw GraphError.unableToDeserialize("the parameter 'Message': a JSON object was expected.");
        }
        return new SendMailRequest(message, save);
    }

    private static boolean bool(JsonNode v) {
        if (v == null || v.isNull()) {
            return true;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText().toLowerCase(Locale.ROOT));
        }
        throw GraphError.requestBodyRead("Cannot convert the literal '" + v + "' to the expected type 'Edm.Boolean'.");
    }
}
