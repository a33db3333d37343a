package graft.mail;

import com.fasterxml.jackson.databind.JsonNode;
import graft.http.GraphError;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of createReply/createReplyAll/createForward and reply/replyAll/forward: {@code Comment},
 * {@code Message} and (forward only) {@code ToRecipients}, names matched case-insensitively.
 */
record ReplyRequest(String comment, JsonNode message, JsonNode toRecipients) {
    static ReplyRequest parse(JsonNode body, boolean forward, String operation) {
        String comment = null;
        JsonNode message = null;
        JsonNode to = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            var f = it.next();
            String name = f.getKey().toLowerCase(Locale.ROOT);
            JsonNode v = f.getValue();
            switch (name) {
                case "comment" -> {
                    if (!v.isNull() && !v.isTextual()) {
                        throw GraphError.requestBodyRead("Cannot convert the literal '" + v + "' to the expected type 'Edm.String'.");
                    }
                    comment = v.isNull() ? null : v.asText();
                }
                case "message" -> {
                    if (!v.isNull() && !v.isObject()) {
                        throw GraphError.unableToDeserialize("the parameter 'Message': a JSON object was expected.");
                    }
                    message = v.isNull() ? null : v;
                }
                case "torecipients" -> {
                    if (!forward) {
                        throw notAParameter(f.getKey(), operation);
                    }
                    to = v.isNull() ? null : v;
                }
                default -> {
                    if (!name.startsWith("@")) {
                        throw notAParameter(f.getKey(), operation);
                    }
                }
            }
        }
        if (comment != null && message != null && message.has("body")) {
            throw GraphError.badRequest("The Comment and Message.Body parameters cannot be set together: give the new text in one of them.");
        }
        if (to != null && message != null && message.has("toRecipients")) {
            throw GraphError.badRequest("The ToRecipients and Message.ToRecipients parameters cannot be set together.");
        }
        return new ReplyRequest(comment, message, to);
    }

    private static GraphError notAParameter(String name, String operation) {
        return GraphError.badRequest("The parameter '" + name + "' in the request payload is not a valid parameter for the operation '" + operation + "'.");
    }
}
