package graft.odata;

/** A query option Graph would reject; {@link #code()} is the Graph error code, the message is shown to the client. */
public final class ODataQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;

    public ODataQueryException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }

    static ODataQueryException badRequest(String message) {
        return new ODataQueryException("BadRequest", message);
    }

    static ODataQueryException invalidFilter(String detail) {
        return badRequest("Invalid filter clause: " + detail);
    }
}
