package graft.mail;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable URL-safe text: ids, change keys, upload secrets. */
final class RandomText {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomText() {
    }

    /** {@code bytes} random bytes as base64url without padding. */
    static String base64Url(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(bytes));
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
