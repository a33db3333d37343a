package graft.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Issues access and ID tokens shaped like the ones Entra ID issues for Microsoft Graph. */
public final class Tokens {
    /** Microsoft Graph's application id: the audience of delegated tokens. */
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    /** Graph's resource URL: the audience of application tokens. */
    public static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    static final Set<String> GRAPH_AUDIENCES = Set.of(GRAPH_APP_ID, GRAPH_RESOURCE, GRAPH_RESOURCE + "/");
    public static final Duration LIFETIME = Duration.ofSeconds(3599);

    private final SigningKeys keys;
    private final Clock clock;

    public Tokens(SigningKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** Graph access tokens are v1.0 tokens whatever endpoint issued them, hence the sts.windows.net issuer. */
    public static String accessTokenIssuer(UUID tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    public String appToken(Tenant tenant, Application app) {
        JWTClaimsSet.Builder claims = common(tenant, app, GRAPH_RESOURCE)
                .claim("idtyp", "app")
                .claim("oid", app.servicePrincipalId().toString())
                .subject(app.servicePrincipalId().toString())
                .claim("roles", List.copyOf(new TreeSet<>(app.roles())));
        return sign(claims.build());
    }

    public String userToken(Tenant tenant, Application app, User user, Set<String> scopes) {
        JWTClaimsSet.Builder claims = common(tenant, app, GRAPH_APP_ID)
                .claim("idtyp", "user")
                .claim("oid", user.id().toString())
                .subject(user.id().toString())
                .claim("upn", user.userPrincipalName())
                .claim("unique_name", user.userPrincipalName())
                .claim("name", user.displayName())
                .claim("scp", String.join(" ", new TreeSet<>(scopes)));
        return sign(claims.build());
    }

    /** An OpenID Connect ID token for the app itself (audience = client id), as MSAL expects next to a user token. */
    public String idToken(String issuer, Tenant tenant, Application app, User user) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(app.clientId().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .subject(user.id().toString())
                .claim("oid", user.id().toString())
                .claim("tid", tenant.id().toString())
                .claim("name", user.displayName())
                .claim("preferred_username", user.userPrincipalName())
                .claim("ver", "2.0")
                .build();
        return sign(claims);
    }

    private JWTClaimsSet.Builder common(Tenant tenant, Application app, String audience) {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder()
                .audience(audience)
                .issuer(accessTokenIssuer(tenant.id()))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .claim("tid", tenant.id().toString())
                .claim("appid", app.clientId().toString())
                .claim("azp", app.clientId().toString())
                .claim("appidacr", "1")
                .claim("app_displayname", app.displayName())
                .claim("ver", "1.0")
                .claim("uti", UUID.randomUUID().toString().replace("-", ""));
    }

    private String sign(JWTClaimsSet claims) {
        try {
            var key = keys.current();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }
}
