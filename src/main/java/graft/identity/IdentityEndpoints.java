package graft.identity;

import graft.http.Exchange;
import graft.http.Json;
import graft.http.Routes;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Entra ID v2.0 endpoints an application talks to before it calls Graph: OpenID discovery, the signing keys
 * and the token endpoint, under {@code /{tenant}/...} where {@code {tenant}} is the tenant id or domain.
 */
public final class IdentityEndpoints implements Routes {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final String JSON = "application/json; charset=utf-8";

    private final Directory directory;
    private final SigningKeys keys;
    private final TokenGrants grants;
    private final Clock clock;

    public IdentityEndpoints(Directory directory, SigningKeys keys, Tokens tokens, Clock clock) {
        this.directory = directory;
        this.keys = keys;
        this.grants = new TokenGrants(directory, tokens);
        this.clock = clock;
    }

    @Override
    public boolean handle(Exchange ex) {
        String[] parts = ex.rawPath().split("/");
        // parts[0] is the empty string before the leading slash
        if (parts.length < 3 || parts[1].equalsIgnoreCase("v1.0")) {
            return false;
        }
        String tenantKey = parts[1];
        String rest = String.join("/", List.of(parts).subList(2, parts.length)).toLowerCase();
        switch (rest) {
            case "v2.0/.well-known/openid-configuration" -> discovery(ex, tenantKey);
            case "discovery/v2.0/keys", "discovery/keys" -> jwks(ex, tenantKey);
            case "oauth2/v2.0/token" -> token(ex, tenantKey);
            default -> {
                if (tenantKey.equalsIgnoreCase("common") && rest.startsWith("userrealm/")) {
                    userRealm(ex, parts[parts.length - 1]);
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private void discovery(Exchange ex, String tenantKey) {
        if (!ex.method().equals("GET")) {
            oauthError(ex, new OAuthError("invalid_request", 900561, "The endpoint only accepts GET requests."));
            return;
        }
        Optional<Tenant> tenant = directory.tenant(tenantKey);
        if (tenant.isEmpty()) {
            oauthError(ex, tenantNotFound(tenantKey));
            return;
        }
        String base = ex.baseUrl() + "/" + tenant.get().id();
        ex.send(200, JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("token_endpoint", base + "/oauth2/v2.0/token");
            g.writeArrayFieldStart("token_endpoint_auth_methods_supported");
            g.writeString("client_secret_post");
            g.writeString("client_secret_basic");
            g.writeEndArray();
            g.writeStringField("jwks_uri", base + "/discovery/v2.0/keys");
            g.writeArrayFieldStart("response_modes_supported");
            g.writeString("query");
            g.writeEndArray();
            g.writeArrayFieldStart("subject_types_supported");
            g.writeString("pairwise");
            g.writeEndArray();
            g.writeArrayFieldStart("id_token_signing_alg_values_supported");
            g.writeString("RS256");
            g.writeEndArray();
            g.writeArrayFieldStart("response_types_supported");
            g.writeString("token");
            g.writeEndArray();
            g.writeArrayFieldStart("scopes_supported");
            for (String s : List.of("openid", "profile", "email", "offline_access")) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeStringField("issuer", base + "/v2.0");
            g.writeBooleanField("request_uri_parameter_supported", false);
            g.writeStringField("authorization_endpoint", base + "/oauth2/v2.0/authorize");
            g.writeStringField("tenant_region_scope", "EU");
            g.writeStringField("cloud_instance_name", "graft.local");
            g.writeArrayFieldStart("grant_types_supported");
            g.writeString("client_credentials");
            g.writeString("password");
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void jwks(Exchange ex, String tenantKey) {
        // One key set signs for every tenant; "common" and "organizations" serve it too, as Entra's do.
        boolean anyTenant = tenantKey.equalsIgnoreCase("common") || tenantKey.equalsIgnoreCase("organizations");
        if (!anyTenant && directory.tenant(tenantKey).isEmpty()) {
            oauthError(ex, tenantNotFound(tenantKey));
            return;
        }
        ex.send(200, JSON, keys.publicJwks().toString().getBytes(StandardCharsets.UTF_8));
    }

    private void userRealm(Exchange ex, String user) {
        String domain = user.contains("@") ? user.substring(user.indexOf('@') + 1) : user;
        boolean known = directory.tenant(domain).isPresent();
        ex.send(200, JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("ver", "1.0");
            g.writeStringField("account_type", known ? "Managed" : "Unknown");
            g.writeStringField("domain_name", domain);
            g.writeStringField("cloud_instance_name", "graft.local");
            g.writeStringField("cloud_audience_urn", "urn:federation:MicrosoftOnline");
            g.writeEndObject();
        }));
    }

    private void token(Exchange ex, String tenantKey) {
        ex.setHeader("Cache-Control", "no-store, no-cache");
        ex.setHeader("Pragma", "no-cache");
        try {
            if (!ex.method().equals("POST")) {
                throw new OAuthError("invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. Received a " + ex.method() + " request.");
            }
            if (!ex.contentType().toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                throw new OAuthError("invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            }
            Map<String, String> form = TokenGrants.form(new String(ex.body(), StandardCharsets.UTF_8), ex.header("Authorization"));
            TokenGrants.Issued issued = grants.grant(tenantKey, form, ex.baseUrl());
            ex.send(200, JSON, Json.bytes(g -> {
                g.writeStartObject();
                g.writeStringField("token_type", "Bearer");
                g.writeStringField("scope", issued.scope());
                g.writeNumberField("expires_in", Tokens.LIFETIME.toSeconds());
                g.writeNumberField("ext_expires_in", Tokens.LIFETIME.toSeconds());
                g.writeStringField("access_token", issued.accessToken());
                if (issued.idToken() != null) {
                    g.writeStringField("id_token", issued.idToken());
                    g.writeStringField("client_info", issued.clientInfo());
                }
                g.writeEndObject();
            }));
        } catch (OAuthError e) {
            oauthError(ex, e);
        }
    }

    static OAuthError tenantNotFound(String tenantKey) {
        return new OAuthError("invalid_tenant", 90002, "Tenant '" + tenantKey
                + "' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.");
    }

    private void oauthError(Exchange ex, OAuthError e) {
        String trace = UUID.randomUUID().toString();
        String timestamp = TIMESTAMP.format(clock.instant());
        String description = "AADSTS" + e.aadsts + ": " + e.getMessage() + " Trace ID: " + trace
                + " Correlation ID: " + ex.clientRequestId() + " Timestamp: " + timestamp;
        ex.send(e.status(), JSON, Json.bytes(g -> {
            g.writeStartObject();
            g.writeStringField("error", e.error);
            g.writeStringField("error_description", description);
            g.writeArrayFieldStart("error_codes");
            g.writeNumber(e.aadsts);
            g.writeEndArray();
            g.writeStringField("timestamp", timestamp);
            g.writeStringField("trace_id", trace);
            g.writeStringField("correlation_id", ex.clientRequestId());
            g.writeStringField("error_uri", ex.baseUrl() + "/error?code=" + e.aadsts);
            g.writeEndObject();
        }));
    }

    static String clientInfo(User user, Tenant tenant) {
        String json = "{\"uid\":\"" + user.id() + "\",\"utid\":\"" + tenant.id() + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
