package graft.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import graft.testing.TestServer;
import graft.testing.TokenForge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

import static graft.testing.GraphAssertions.assertGraphError;
import static graft.testing.GraphAssertions.json;
import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.OTHER_TENANT;
import static graft.testing.TestServer.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/** Every API request verifies signature, lifetime, issuer, audience and tenant; each failure is a Graph 401. */
class TokenValidationTest {
    static TestServer server;
    static TokenForge forge;
    static String appToken;
    static String userToken;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        forge = TokenForge.of(server);
        appToken = server.appToken();
        userToken = server.userToken(ALICE, "Mail.Read");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static HttpResponse<String> get(String token) {
        return server.call("GET", "/v1.0/users/" + ALICE + "/messages", token, null);
    }

    private static JsonNode assertUnauthorized(HttpResponse<String> r) {
        JsonNode e = assertGraphError(r, 401, "InvalidAuthenticationToken");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
        return e;
    }

    private static String resignedApp(UnaryOperator<JWTClaimsSet.Builder> edit) {
        return forge.resign(appToken, edit);
    }

    @Test
    void aTokenResignedUnchangedWithTheServerKeyIsAccepted() {
        // The control for the tests below: only the claim each one changes makes the difference.
        assertThat(get(resignedApp(b -> b)).statusCode()).isEqualTo(200);
        assertThat(server.call("GET", "/v1.0/me/messages", forge.resign(userToken, b -> b), null).statusCode()).isEqualTo(200);
    }

    @Test
    void missingAuthorizationHeaderIsAccessTokenIsEmpty() {
        JsonNode e = assertUnauthorized(get(null));
        assertThat(e.path("message").asText()).isEqualTo("Access token is empty.");
        HttpResponse<String> basic = server.send(HttpRequest.newBuilder(server.uri("/v1.0/users/" + ALICE + "/messages"))
                .header("Authorization", "Bearer ").build());
        assertThat(assertUnauthorized(basic).path("message").asText()).isEqualTo("Access token is empty.");
    }

    @Test
    void garbageTokenIsCompactTokenParsingFailure() {
        JsonNode e = assertUnauthorized(get("not-a-jwt"));
        assertThat(e.path("message").asText()).startsWith("CompactToken parsing failed");
    }

    @Test
    void tokenSignedByAnotherKeyIsRejected() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        String forged = TokenForge.sign(stranger, forge.key().getKeyID(), TokenForge.claims(appToken));
        assertUnauthorized(get(forged));
        String unknownKid = TokenForge.sign(stranger, "some-other-kid", TokenForge.claims(appToken));
        assertUnauthorized(get(unknownKid));
    }

    @Test
    void unsignedTokenWithAlgNoneIsRejected() {
        String none = new PlainJWT(TokenForge.claims(appToken)).serialize();
        assertUnauthorized(get(none));
    }

    @Test
    void tamperedPayloadIsRejected() {
        String[] parts = userToken.split("\\.");
        String otherPayload = forge.resign(userToken, b -> b.claim("scp", "Mail.Read Mail.ReadWrite Mail.Send")).split("\\.")[1];
        assertUnauthorized(get(parts[0] + "." + otherPayload + "." + parts[2]));
    }

    @Test
    void expiredTokenIsRejected() {
        Instant past = Instant.now().minusSeconds(3600);
        JsonNode e = assertUnauthorized(get(resignedApp(b -> b.expirationTime(Date.from(past)))));
        assertThat(e.path("message").asText()).containsIgnoringCase("expired");
        assertUnauthorized(get(resignedApp(b -> b.expirationTime(null))));
    }

    @Test
    void tokenNotYetValidIsRejected() {
        Instant future = Instant.now().plusSeconds(3600);
        assertUnauthorized(get(resignedApp(b -> b.notBeforeTime(Date.from(future)).expirationTime(Date.from(future.plusSeconds(3600))))));
    }

    @Test
    void tokenForAnotherAudienceIsRejected() {
        assertUnauthorized(get(resignedApp(b -> b.audience("https://management.azure.com"))));
        assertUnauthorized(get(resignedApp(b -> b.audience("api://" + TestServer.APP))));
        assertUnauthorized(get(resignedApp(b -> b.audience((String) null))));
    }

    @Test
    void tokenFromAnotherIssuerIsRejected() {
        assertUnauthorized(get(resignedApp(b -> b.issuer("https://evil.example/" + TENANT + "/"))));
        assertUnauthorized(get(resignedApp(b -> b.issuer(null))));
    }

    @Test
    void tokenClaimingAnotherTenantIsRejected() {
        // Another real tenant's id with this tenant's issuer: the two must agree.
        assertUnauthorized(get(resignedApp(b -> b.claim("tid", OTHER_TENANT))));
        String unknown = "6f1c2d3e-0000-4000-8000-0000000000ff";
        assertUnauthorized(get(resignedApp(b -> b.claim("tid", unknown).issuer("https://sts.windows.net/" + unknown + "/"))));
        assertUnauthorized(get(resignedApp(b -> b.claim("tid", null))));
    }

    @Test
    void tokenOfAnotherTenantsAppCannotReachThisTenant() {
        // Consistent tid and issuer of the other tenant, but this tenant's app id: no such app there.
        assertUnauthorized(get(resignedApp(b -> b.claim("tid", OTHER_TENANT).issuer("https://sts.windows.net/" + OTHER_TENANT + "/"))));
        String daveApp = server.appToken(OTHER_TENANT, TestServer.OTHER_APP);
        assertGraphError(get(daveApp), 404, "ErrorInvalidUser");
    }

    @Test
    void userTokenForAnUnknownUserIsRejected() {
        assertUnauthorized(server.call("GET", "/v1.0/me/messages",
                forge.resign(userToken, b -> b.claim("oid", "00000000-0000-4000-8000-000000000999")), null));
    }

    @Test
    void everyUnauthorizedAnswerCarriesTheChallengeAndCorrelationHeaders() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1.0/me"))
                .header("client-request-id", "7d0c1b8e-0000-4000-8000-000000000001").build());
        assertUnauthorized(r);
        assertThat(r.headers().firstValue("client-request-id")).hasValue("7d0c1b8e-0000-4000-8000-000000000001");
        assertThat(r.headers().firstValue("request-id")).isPresent();
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("authorization_uri="));
    }
}
