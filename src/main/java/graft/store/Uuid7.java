package graft.store;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUID version 7 (RFC 9562 5.7): 48 bits of Unix time in milliseconds, then random bits. Keys made this way arrive
 * in an index in time order, so a busy table appends to a few pages instead of touching one random page per row.
 */
public final class Uuid7 {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Uuid7() {
    }

    public static String random() {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long high = System.currentTimeMillis() << 16 | 0x7000 | ((r[0] & 0x0f) << 8) | (r[1] & 0xff);
        long low = 0x8000_0000_0000_0000L | (r[2] & 0x3fL) << 56;
        for (int i = 3; i < 10; i++) {
            low |= (r[i] & 0xffL) << (8 * (9 - i));
        }
        return new UUID(high, low).toString();
    }
}
