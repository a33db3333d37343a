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

    /**
     * {@code bytes} bytes as base64url, the first six the current time in milliseconds and the rest random. Ids made
     * close in time share their first characters, so a store's index takes them in a few neighbouring pages instead
     * of one random page each; the random part keeps them unguessable.
     */
    static String timeOrderedBase64Url(int bytes) {
        byte[] b = bytes(bytes);
        long now = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) now;
            now >>>= 8;
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
