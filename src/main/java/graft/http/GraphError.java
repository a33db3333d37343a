package graft.http;

import java.util.Map;

/**
 * A failure the client is told about, as Graph tells it: an HTTP status and a Graph error code and message.
 * Thrown from anywhere; {@link ErrorResponses} alone turns it into the {@code {"error":{...}}} envelope.
 */
public final class GraphError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public GraphError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public GraphError(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static GraphError badRequest(String message) {
        return new GraphError(400, "BadRequest", message);
    }

    public static GraphError itemNotFound() {
        return new GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
    }

    public static GraphError idMalformed() {
        return new GraphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
    }

    public static GraphError accessDenied() {
        return new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }

    public static GraphError invalidUser(String key) {
        return new GraphError(404, "ErrorInvalidUser", "The requested user '" + key + "' is invalid.");
    }

    public static GraphError segmentNotFound(String segment) {
        return new GraphError(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
    }

    public static GraphError methodNotAllowed() {
        return new GraphError(405, "BadRequest", "Specified HTTP method is not allowed for the request target.");
    }

    public static GraphError unableToDeserialize(String detail) {
        return new GraphError(400, "UnableToDeserializePostBody", "were unable to deserialize " + detail);
    }

    public static GraphError invalidPropertySet(String message) {
        return new GraphError(400, "ErrorInvalidPropertySet", message);
    }

    public static GraphError unknownProperty(String property, String type) {
        return new GraphError(400, "RequestBodyRead", "The property '" + property + "' does not exist on type '" + type
                + "'. Make sure to only use property names that are defined by the type or mark the type as open type.");
    }

    public static GraphError requestBodyRead(String message) {
        return new GraphError(400, "RequestBodyRead", message);
    }
}
