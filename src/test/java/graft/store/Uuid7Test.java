package graft.store;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Uuid7Test {

    @Test
    void versionVariantTimeAndUniqueness() {
        long before = System.currentTimeMillis();
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            String s = Uuid7.random();
            UUID u = UUID.fromString(s);
            assertEquals(7, u.version());
            assertEquals(2, u.variant());
            long millis = u.getMostSignificantBits() >>> 16;
            assertTrue(millis >= before && millis <= System.currentTimeMillis(), s);
            assertTrue(s.substring(0, 13).compareTo(previous.isEmpty() ? "" : previous.substring(0, 13)) >= 0, "time-ordered: " + s);
            assertTrue(seen.add(s), "unique: " + s);
            previous = s;
        }
    }
}
