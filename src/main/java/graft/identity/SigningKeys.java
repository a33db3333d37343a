package graft.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import graft.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The RSA keys that sign access tokens. They live in the store, so they persist across restarts and every node
 * on a shared store signs and verifies with the same keys.
 */
public final class SigningKeys {
    private final RSAKey current;
    private final Map<String, RSAKey> byKid;

    private SigningKeys(List<RSAKey> keys) {
        this.current = keys.getLast();
        this.byKid = keys.stream().collect(Collectors.toUnmodifiableMap(RSAKey::getKeyID, Function.identity()));
    }

    public static SigningKeys loadOrCreate(Database db) {
        List<RSAKey> keys = load(db);
        if (keys.isEmpty()) {
            RSAKey fresh = generate();
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO signing_keys (kid, jwk, created_at) VALUES (?, ?, ?) ON CONFLICT (kid) DO NOTHING")) {
                    ps.setString(1, fresh.getKeyID());
                    ps.setString(2, fresh.toJSONString());
                    ps.setLong(3, System.currentTimeMillis());
                    return ps.executeUpdate();
                }
            });
            keys = load(db);
        }
        return new SigningKeys(keys);
    }

    private static List<RSAKey> load(Database db) {
        return db.read(c -> {
            List<RSAKey> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT jwk FROM signing_keys ORDER BY created_at, kid");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(RSAKey.parse(rs.getString(1)));
                    } catch (ParseException e) {
                        throw new IllegalStateException("a stored signing key cannot be parsed", e);
                    }
                }
            }
            return out;
        });
    }

    private static RSAKey generate() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).generate();
            return new RSAKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA signing key", e);
        }
    }

    RSAKey current() {
        return current;
    }

    Optional<RSAKey> byKid(String kid) {
        return Optional.ofNullable(kid == null ? null : byKid.get(kid));
    }

    /** The public keys, as served at {@code /discovery/v2.0/keys}. */
    public JWKSet publicJwks() {
        return new JWKSet(byKid.values().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
    }
}
