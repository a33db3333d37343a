package graft.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import graft.testing.TestServer;
import graft.testing.TokenForge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.APP;
import static graft.testing.TestServer.SECRET;
import static graft.testing.TestServer.TENANT;
import static graft.testing.TestServer.enc;
import static org.assertj.core.api.Assertions.assertThat;

/** The Entra-style token, discovery and key endpoints, and the OAuth errors of RFC 6749 §5.2. */
class TokenEndpointTest {
    static final String GRAPH_DEFAULT = enc("https://graph.microsoft.com/.default");
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> token(String tenant, String form) {
        return server.send(HttpRequest.newBuilder(server.uri("/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static void assertOAuthError(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).startsWith("AADSTS");
        assertThat(body.path("error_codes").isArray()).isTrue();
    }

    @Test
    void clientCredentialsGivesAnAppTokenWithRoles() throws Exception {
        HttpResponse<String> r = token(TENANT, "grant_type=client_credentials&client_id=" + APP + "&client_secret=" + SECRET
                + "&scope=" + GRAPH_DEFAULT);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asInt()).isPositive();
        JWTClaimsSet claims = TokenForge.claims(body.path("access_token").asText());
        assertThat(claims.getStringListClaim("roles")).containsExactlyInAnyOrder("Mail.Send", "Mail.ReadWrite");
        assertThat(claims.getStringClaim("idtyp")).isEqualTo("app");
        assertThat(claims.getStringClaim("tid")).isEqualTo(TENANT);
        assertThat(claims.getStringClaim("appid")).isEqualTo(APP);
        assertThat(claims.getAudience()).containsAnyOf("https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000");
        assertThat(claims.getExpirationTime()).isInTheFuture();
    }

    @Test
    void clientCredentialsAcceptsTheOpenIdScopesMsalAdds() {
        HttpResponse<String> r = token(TENANT, "grant_type=client_credentials&client_id=" + APP + "&client_secret=" + SECRET
                + "&scope=" + enc("https://graph.microsoft.com/.default openid profile offline_access"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).path("access_token").asText()).isNotBlank();
    }

    @Test
    void passwordGrantGivesADelegatedTokenWithScopesAndTheUser() throws Exception {
        HttpResponse<String> r = token("contoso.test", "grant_type=password&client_id=" + APP + "&client_secret=" + SECRET
                + "&username=" + enc(ALICE) + "&password=alice-pw&scope=" + enc("Mail.Send openid profile offline_access"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JWTClaimsSet claims = TokenForge.claims(json(r).path("access_token").asText());
        assertThat(claims.getStringClaim("scp")).isEqualTo("Mail.Send");
        assertThat(claims.getStringClaim("upn")).isEqualTo(ALICE);
        assertThat(claims.getStringClaim("oid")).isNotBlank();

        JWTClaimsSet all = TokenForge.claims(json(token(TENANT, "grant_type=password&client_id=" + APP + "&client_secret=" + SECRET
                + "&username=" + enc(ALICE) + "&password=alice-pw&scope=" + GRAPH_DEFAULT)).path("access_token").asText());
        assertThat(all.getStringClaim("scp").split(" ")).contains("Mail.Send", "Mail.ReadWrite", "Mail.Read");
    }

    @Test
    void wrongClientSecretIsInvalidClient() {
        assertOAuthError(token(TENANT, "grant_type=client_credentials&client_id=" + APP + "&client_secret=wrong&scope=" + GRAPH_DEFAULT),
                401, "invalid_client");
    }

    @Test
    void wrongPasswordIsInvalidGrant() {
        assertOAuthError(token(TENANT, "grant_type=password&client_id=" + APP + "&client_secret=" + SECRET
                + "&username=" + enc(ALICE) + "&password=wrong&scope=Mail.Send"), 400, "invalid_grant");
        assertOAuthError(token(TENANT, "grant_type=password&client_id=" + APP + "&client_secret=" + SECRET
                + "&username=" + enc("nobody@contoso.test") + "&password=x&scope=Mail.Send"), 400, "invalid_grant");
    }

    @Test
    void clientCredentialsWithADelegatedScopeIsInvalidScope() {
        assertOAuthError(token(TENANT, "grant_type=client_credentials&client_id=" + APP + "&client_secret=" + SECRET
                + "&scope=Mail.Send"), 400, "invalid_scope");
    }

    @Test
    void unknownGrantTypeIsUnsupportedGrantType() {
        assertOAuthError(token(TENANT, "grant_type=urn:example:magic&client_id=" + APP + "&client_secret=" + SECRET
                + "&scope=" + GRAPH_DEFAULT), 400, "unsupported_grant_type");
    }

    @Test
    void unknownTenantIsABadRequest() {
        HttpResponse<String> r = token("nowhere.test", "grant_type=client_credentials&client_id=" + APP + "&client_secret=" + SECRET
                + "&scope=" + GRAPH_DEFAULT);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).isNotBlank();
        assertThat(token("00000000-0000-4000-8000-0000000000ee", "grant_type=client_credentials&client_id=" + APP
                + "&client_secret=" + SECRET + "&scope=" + GRAPH_DEFAULT).statusCode()).isEqualTo(400);
    }

    @Test
    void anAppOfOneTenantCannotGetTokensFromAnother() {
        HttpResponse<String> r = token(TestServer.OTHER_TENANT, "grant_type=client_credentials&client_id=" + APP
                + "&client_secret=" + SECRET + "&scope=" + GRAPH_DEFAULT);
        assertThat(r.statusCode()).isBetween(400, 401);
    }

    @Test
    void missingParametersAreInvalidRequest() {
        assertOAuthError(token(TENANT, "client_id=" + APP + "&client_secret=" + SECRET), 400, "invalid_request");
    }

    @Test
    void openIdConfigurationIsServedByTenantIdAndByDomain() {
        for (String key : List.of(TENANT, "contoso.test")) {
            HttpResponse<String> r = server.call("GET", "/" + key + "/v2.0/.well-known/openid-configuration", null, null);
            assertThat(r.statusCode()).as(key).isEqualTo(200);
            JsonNode config = json(r);
            assertThat(config.path("token_endpoint").asText()).isEqualTo(server.base() + "/" + TENANT + "/oauth2/v2.0/token");
            assertThat(config.path("jwks_uri").asText()).isEqualTo(server.base() + "/" + TENANT + "/discovery/v2.0/keys");
            assertThat(config.path("issuer").asText()).contains(TENANT);
        }
        assertThat(server.call("GET", "/nowhere.test/v2.0/.well-known/openid-configuration", null, null).statusCode()).isEqualTo(400);
    }

    @Test
    void jwksIsServedByTenantIdAndByDomainAndHoldsOnlyThePublicSigningKey() {
        String kid = TokenForge.of(server).key().getKeyID();
        for (String key : List.of(TENANT, "contoso.test")) {
            JsonNode jwks = json(server.call("GET", "/" + key + "/discovery/v2.0/keys", null, null));
            List<String> kids = new ArrayList<>();
            jwks.path("keys").forEach(k -> {
                kids.add(k.path("kid").asText());
                assertThat(k.path("kty").asText()).isEqualTo("RSA");
                assertThat(k.has("d")).as("private exponent exposed").isFalse();
            });
            assertThat(kids).as(key).contains(kid);
        }
        assertThat(server.call("GET", "/nowhere.test/discovery/v2.0/keys", null, null).statusCode()).isEqualTo(400);
    }
}
