package graft.mail;

import graft.http.GraphError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/** A mail folder id. Well-known folders get ids derived from mailbox and name, so no node needs to look them up. */
public record FolderId(String value) {
    private static final Pattern FORMAT = Pattern.compile("AQMk[A-Za-z0-9_-]{32}");
    /** Every send needs two or three of these: derive each once. Bounded by the directory's mailboxes. */
    private static final ConcurrentMap<UUID, FolderId[]> WELL_KNOWN = new ConcurrentHashMap<>();

    public static FolderId of(UUID mailbox, WellKnownFolder folder) {
        return WELL_KNOWN.computeIfAbsent(mailbox, FolderId::derive)[folder.ordinal()];
    }

    private static FolderId[] derive(UUID mailbox) {
        WellKnownFolder[] all = WellKnownFolder.values();
        FolderId[] ids = new FolderId[all.length];
        for (WellKnownFolder f : all) {
            ids[f.ordinal()] = derive(mailbox, f);
        }
        return ids;
    }

    private static FolderId derive(UUID mailbox, WellKnownFolder folder) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((mailbox + "/" + folder.wellKnownName()).getBytes(StandardCharsets.UTF_8));
            return new FolderId("AQMk" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 24)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FolderId parse(String raw) {
        if (raw == null || !FORMAT.matcher(raw).matches()) {
            throw GraphError.idMalformed();
        }
        return new FolderId(raw);
    }

    @Override
    public String toString() {
        return value;
    }
}
