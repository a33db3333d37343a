package graft.store;

import com.nimbusds.jose.jwk.JWK;
import graft.identity.SigningKeys;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Token signing keys live in the store, so a restarted node, or another node, verifies the same tokens. */
interface SigningKeysContract extends StoreUnderTest {

    @Test
    default void signingKeysAreCreatedOnceAndFoundAgainByEveryNode() {
        List<String> first = kids(SigningKeys.loadOrCreate(db()));
        List<String> again = kids(SigningKeys.loadOrCreate(db()));
        List<String> otherNode;
        try (Database other = openAnother()) {
            otherNode = kids(SigningKeys.loadOrCreate(other));
        }
        List<String> afterRestart = kids(SigningKeys.loadOrCreate(reopen()));

        assertThat(first).isNotEmpty();
        assertThat(again).isEqualTo(first);
        assertThat(otherNode).isEqualTo(first);
        assertThat(afterRestart).isEqualTo(first);
    }

    private static List<String> kids(SigningKeys keys) {
        return keys.publicJwks().getKeys().stream().map(JWK::getKeyID).sorted().toList();
    }
}
