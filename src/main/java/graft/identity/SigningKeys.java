package graft.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import graft.store.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The RSA keys that sign access tokens. They live in the store, so they persist across restarts and every node
 * on a shared store signs and verifies with the same keys.
 */
public final class SigningKeys {
    private final CompletableFuture<Loaded> loaded;

    private record Loaded(RSAKey current, Map<String, RSAKey> byKid) {
        Loaded(List<RSAKey> keys) {
            this(keys.getLast(), keys.stream().collect(Collectors.toUnmodifiableMap(RSAKey::getKeyID, Function.identity())));
        }
    }

    private SigningKeys(CompletableFuture<Loaded> loaded) {
        this.loaded = loaded;
    }

    public static SigningKeys loadOrCreate(Database db) {
        return new SigningKeys(CompletableFuture.completedFuture(new Loaded(loadOrCreateKeys(db))));
    }

    /**
     * Like {@link #loadOrCreate}, but a new store's first key (RSA key generation takes a good part of a cold
     * start) is made on a thread of its own while the rest of the node starts; {@link #awaitReady} joins it.
     */
    public static SigningKeys loadOrCreateInBackground(Database db) {
        List<RSAKey> keys = load(db);
        if (!keys.isEmpty()) {
            return new SigningKeys(CompletableFuture.completedFuture(new Loaded(keys)));
        }
        CompletableFuture<Loaded> later = new CompletableFuture<>();
        Thread.ofPlatform().name("signing-key").daemon().start(() -> {
            try {
                later.complete(new Loaded(loadOrCreateKeys(db)));
            } catch (Throwable t) {
                later.completeExceptionally(t);
            }
        });
        return new SigningKeys(later);
    }

    /** Waits for the keys; a failure to create them is thrown here. */
    public void awaitReady() {
        keys();
    }

    private Loaded keys() {
        try {
            return loaded.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    private static List<RSAKey> loadOrCreateKeys(Database db) {
        List<RSAKey> keys = load(db);
        if (keys.isEmpty()) {
            RSAKey fresh = generate();
            // Nodes starting together must all end up with the one key that won, not each with its own: the insert
            // happens only into an empty table, and on PostgreSQL under a lock taken before the transaction's snapshot.
            db.write(c -> {
                if (db.dialect() == Database.Dialect.POSTGRES) {
                    try (Statement s = c.createStatement()) {
                        s.execute("LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO signing_keys (kid, jwk, created_at) "
                        + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM signing_keys)")) {
                    ps.setString(1, fresh.getKeyID());
                    ps.setString(2, fresh.toJSONString());
                    ps.setLong(3, System.currentTimeMillis());
                    return ps.executeUpdate();
                }
            });
            keys = load(db);
        }
        return keys;
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
        return keys().current();
    }

    Optional<RSAKey> byKid(String kid) {
        return Optional.ofNullable(kid == null ? null : keys().byKid().get(kid));
    }

    /** The public keys, as served at {@code /discovery/v2.0/keys}. */
    public JWKSet publicJwks() {
        return new JWKSet(keys().byKid().values().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
    }
}
