package graft.identity;

/**
 * An RFC 6749 §5.2 error from the token endpoint, with Entra ID's AADSTS number.
 * {@code invalid_client} is a 401 as the RFC asks; the others are 400.
 */
final class OAuthError extends RuntimeException {
    final String error;
    final int aadsts;

    OAuthError(String error, int aadsts, String description) {
        super(description, null, false, false);
        this.error = error;
        this.aadsts = aadsts;
    }

    int status() {
        return "invalid_client".equals(error) ? 401 : 400;
    }

    static OAuthError missing(String parameter) {
        return new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: '" + parameter + "'.");
    }
}
