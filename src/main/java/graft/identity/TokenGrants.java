package graft.identity;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The grants of the token endpoint: {@code client_credentials} (app tokens) and {@code password} (user tokens). */
final class TokenGrants {
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    private static final String[] GRAPH_PREFIXES = {Tokens.GRAPH_RESOURCE + "/", Tokens.GRAPH_APP_ID + "/"};

    record Issued(String accessToken, String scope, String idToken, String clientInfo) {
    }

    private final Directory directory;
    private final Tokens tokens;

    TokenGrants(Directory directory, Tokens tokens) {
        this.directory = directory;
        this.tokens = tokens;
    }

    /** The form fields; HTTP Basic client credentials (RFC 6749 §2.3.1) fill client_id and client_secret. */
    static Map<String, String> form(String body, String authorization) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw new OAuthError("invalid_request", 900144, "The request body is not correctly form-encoded.");
            }
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    form.putIfAbsent("client_id", URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8));
                    form.putIfAbsent("client_secret", URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException e) {
                throw new OAuthError("invalid_client", 7000216, "The Authorization header does not carry valid client credentials.");
            }
        }
        return form;
    }

    Issued grant(String tenantKey, Map<String, String> form, String baseUrl) {
        String grantType = required(form, "grant_type");
        return switch (grantType) {
            case "client_credentials" -> clientCredentials(tenantKey, form);
            case "password" -> password(tenantKey, form, baseUrl);
            default -> throw new OAuthError("unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'. Graft supports client_credentials and password.");
        };
    }

    private Issued clientCredentials(String tenantKey, Map<String, String> form) {
        Tenant tenant = directory.tenant(tenantKey).orElseThrow(() -> IdentityEndpoints.tenantNotFound(tenantKey));
        Application app = authenticateClient(tenant, form);
        // MSAL (azure-identity) appends "openid profile offline_access" even to client-credential requests.
        String scope = Arrays.stream(required(form, "scope").trim().split("\\s+"))
                .filter(s -> !OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT)))
                .collect(Collectors.joining(" "));
        String resource = null;
        for (String prefix : GRAPH_PREFIXES) {
            if (scope.equalsIgnoreCase(prefix + ".default")) {
                resource = prefix;
            }
        }
        if (resource == null) {
            if (!scope.endsWith("/.default")) {
                throw new OAuthError("invalid_scope", 1002012, "The provided value for scope " + scope + " is not valid. "
                        + "Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
            }
            throw new OAuthError("invalid_resource", 500011, "The resource principal named "
                    + scope.substring(0, scope.length() - "/.default".length()) + " was not found in the tenant named " + tenant.domain() + ".");
        }
        return new Issued(tokens.appToken(tenant, app), Tokens.GRAPH_RESOURCE + "/.default", null, null);
    }

    private Issued password(String tenantKey, Map<String, String> form, String baseUrl) {
        String username = required(form, "username");
        String password = required(form, "password");
        boolean anyTenant = tenantKey.equalsIgnoreCase("common") || tenantKey.equalsIgnoreCase("organizations");
        String userDomain = username.contains("@") ? username.substring(username.indexOf('@') + 1) : "";
        Tenant tenant = (anyTenant ? directory.tenant(userDomain) : directory.tenant(tenantKey))
                .orElseThrow(() -> IdentityEndpoints.tenantNotFound(anyTenant ? userDomain : tenantKey));
        Application app = authenticateClient(tenant, form);
        Set<String> requested = new LinkedHashSet<>();
        for (String s : required(form, "scope").trim().split("\\s+")) {
            requested.add(s);
        }
        Set<String> granted = graphScopes(app, requested);
        User user = tenant.user(username)
                .filter(u -> u.password() != null && u.password().equals(password))
                .orElseThrow(() -> new OAuthError("invalid_grant", 50126, "Error validating credentials due to invalid username or password."));
        String scope = granted.stream().map(s -> Tokens.GRAPH_RESOURCE + "/" + s).collect(Collectors.joining(" "));
        String access = tokens.userToken(tenant, app, user, granted);
        if (!requested.contains("openid")) {
            return new Issued(access, scope, null, null);
        }
        String idToken = tokens.idToken(baseUrl + "/" + tenant.id() + "/v2.0", tenant, app, user);
        return new Issued(access, scope + " openid profile", idToken, IdentityEndpoints.clientInfo(user, tenant));
    }

    /** Graph scopes named by the request; {@code .default} (or none but OpenID ones) means every consented scope. */
    private static Set<String> graphScopes(Application app, Set<String> requested) {
        Set<String> granted = new LinkedHashSet<>();
        boolean all = true;
        for (String raw : requested) {
            if (OIDC_SCOPES.contains(raw.toLowerCase(Locale.ROOT))) {
                continue;
            }
            String name = withoutGraphPrefix(raw);
            if (name.equals(".default")) {
                continue;
            }
            all = false;
            String consented = app.scopes().stream().filter(s -> s.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new OAuthError("invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '"
                            + app.clientId() + "' named '" + app.displayName() + "'. Send an interactive authorization request for this user and resource."));
            granted.add(consented);
        }
        if (all) {
            granted.addAll(app.scopes());
        }
        return granted;
    }

    private static String withoutGraphPrefix(String scope) {
        for (String prefix : GRAPH_PREFIXES) {
            if (scope.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return scope.substring(prefix.length());
            }
        }
        return scope;
    }

    private static Application authenticateClient(Tenant tenant, Map<String, String> form) {
        String clientId = required(form, "client_id");
        Application app = tenant.application(clientId).orElseThrow(() -> new OAuthError("unauthorized_client", 700016,
                "Application with identifier '" + clientId + "' was not found in the directory '" + tenant.domain() + "'."));
        String secret = form.get("client_secret");
        if (secret == null || secret.isEmpty()) {
            throw new OAuthError("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        if (!java.security.MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), app.clientSecret().getBytes(StandardCharsets.UTF_8))) {
            throw new OAuthError("invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"
                    + app.clientId() + "'.");
        }
        return app;
    }

    private static String required(Map<String, String> form, String name) {
        String v = form.get(name);
        if (v == null || v.isBlank()) {
            throw OAuthError.missing(name);
        }
        return v;
    }
}
