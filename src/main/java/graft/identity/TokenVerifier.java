package graft.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import graft.http.GraphError;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies a bearer token on every API request: signature, lifetime, issuer, audience and tenant, then resolves
 * the caller. A verified token is remembered until it expires, so the RSA check runs once per token.
 */
public final class TokenVerifier {
    /** Entra ID tolerates five minutes of clock skew. */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final int CACHE_LIMIT = 10_000;

    private final SigningKeys keys;
    private final Directory directory;
    private final Clock clock;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    private record Verified(Caller caller, Instant expires) {
    }

    public TokenVerifier(SigningKeys keys, Directory directory, Clock clock) {
        this.keys = keys;
        this.directory = directory;
        this.clock = clock;
    }

    /** @param authorization the Authorization header, or null */
    public Caller verify(String authorization, String baseUrl) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("Access token is empty.", baseUrl);
        }
        String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
        if (token.isEmpty()) {
            throw unauthorized("Access token is empty.", baseUrl);
        }
        Instant now = clock.instant();
        Verified hit = cache.get(token);
        if (hit != null && now.isBefore(hit.expires.plus(SKEW))) {
            return hit.caller;
        }
        Verified fresh = verifyFully(token, now, baseUrl);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, fresh);
        return fresh.caller;
    }

    private Verified verifyFully(String token, Instant now, String baseUrl) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthorized("CompactToken parsing failed with error code: 80049217", baseUrl);
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw unauthorized("Access token validation failure.", baseUrl);
        }
        var key = keys.byKid(jwt.getHeader().getKeyID())
                .orElseThrow(() -> unauthorized("Access token validation failure.", baseUrl));
        try {
            if (!jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                throw unauthorized("Access token validation failure.", baseUrl);
            }
        } catch (JOSEException e) {
            throw unauthorized("Access token validation failure.", baseUrl);
        }
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || now.isAfter(exp.toInstant().plus(SKEW))) {
            throw unauthorized("Lifetime validation failed, the token is expired.", baseUrl);
        }
        if (nbf != null && now.isBefore(nbf.toInstant().minus(SKEW))) {
            throw unauthorized("Lifetime validation failed, the token is not yet valid.", baseUrl);
        }
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(Tokens.GRAPH_AUDIENCES::contains)) {
            throw unauthorized("Access token validation failure. Invalid audience.", baseUrl);
        }
        Tenant tenant = tenantOf(claims).orElseThrow(() -> unauthorized("Access token validation failure. Invalid issuer.", baseUrl));
        return new Verified(caller(claims, tenant, baseUrl), exp.toInstant());
    }

    private Optional<Tenant> tenantOf(JWTClaimsSet claims) {
        Object tid = claims.getClaim("tid");
        if (!(tid instanceof String t)) {
            return Optional.empty();
        }
        try {
            UUID id = UUID.fromString(t);
            if (!Tokens.accessTokenIssuer(id).equals(claims.getIssuer())) {
                return Optional.empty();
            }
            return directory.tenant(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Caller caller(JWTClaimsSet claims, Tenant tenant, String baseUrl) {
        String appId = stringClaim(claims, "appid");
        Application app = tenant.application(appId == null ? "" : appId)
                .orElseThrow(() -> unauthorized("Access token validation failure. Unknown application.", baseUrl));
        if ("app".equals(stringClaim(claims, "idtyp"))) {
            Object roles = claims.getClaim("roles");
            Set<String> granted = new HashSet<>();
            if (roles instanceof List<?> list) {
                list.forEach(r -> granted.add(String.valueOf(r)));
            }
            return new Caller.App(tenant, app, granted);
        }
        String oid = stringClaim(claims, "oid");
        User user = tenant.user(oid == null ? "" : oid)
                .orElseThrow(() -> unauthorized("Access token validation failure. Unknown user.", baseUrl));
        String scp = stringClaim(claims, "scp");
        Set<String> scopes = scp == null || scp.isBlank() ? Set.of() : new HashSet<>(Arrays.asList(scp.trim().split("\\s+")));
        return new Caller.Delegated(tenant, app, user, scopes);
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    private static GraphError unauthorized(String message, String baseUrl) {
        return new GraphError(401, "InvalidAuthenticationToken", message, Map.of("WWW-Authenticate",
                "Bearer realm=\"\", authorization_uri=\"" + baseUrl + "/common/oauth2/authorize\", client_id=\""
                        + Tokens.GRAPH_APP_ID + "\""));
    }
}
