package graft.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.text.ParseException;
import java.util.function.UnaryOperator;

/**
 * Signs access tokens with the server's own signing key (read from its store), so a test can change exactly one
 * claim of an otherwise valid token and see that claim alone rejected.
 */
public final class TokenForge {
    private final RSAKey key;

    private TokenForge(RSAKey key) {
        this.key = key;
    }

    public static TokenForge of(TestServer server) {
        return new TokenForge(serverKey(server.dataDir().resolve("graft.db")));
    }

    public RSAKey key() {
        return key;
    }

    /** The claims of {@code template} (a real token), changed by {@code edit}, signed with the server key. */
    public String resign(String template, UnaryOperator<JWTClaimsSet.Builder> edit) {
        return sign(key, key.getKeyID(), edit.apply(new JWTClaimsSet.Builder(claims(template))).build());
    }

    public static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String sign(RSAKey signingKey, String kid, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey serverKey(Path db) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT jwk FROM signing_keys ORDER BY created_at DESC, kid DESC LIMIT 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("no signing key in " + db);
            }
            return RSAKey.parse(rs.getString(1));
        } catch (SQLException | ParseException e) {
            throw new IllegalStateException("cannot read the server's signing key", e);
        }
    }
}
