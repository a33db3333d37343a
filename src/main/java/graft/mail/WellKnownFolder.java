package graft.mail;

import java.util.Locale;
import java.util.Optional;

/** The folders every mailbox has, with Exchange's English display names. */
public enum WellKnownFolder {
    MSGFOLDERROOT("msgfolderroot", "Top of Information Store"),
    INBOX("inbox", "Inbox"),
    DRAFTS("drafts", "Drafts"),
    SENTITEMS("sentitems", "Sent Items"),
    DELETEDITEMS("deleteditems", "Deleted Items"),
    OUTBOX("outbox", "Outbox"),
    JUNKEMAIL("junkemail", "Junk Email"),
    ARCHIVE("archive", "Archive");

    private final String wellKnownName;
    private final String displayName;

    WellKnownFolder(String wellKnownName, String displayName) {
        this.wellKnownName = wellKnownName;
        this.displayName = displayName;
    }

    public String wellKnownName() {
        return wellKnownName;
    }

    public String displayName() {
        return displayName;
    }

    /** Well-known names are case-insensitive: Graph's own examples use Inbox, Drafts and SentItems. */
    public static Optional<WellKnownFolder> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (WellKnownFolder f : values()) {
            if (f.wellKnownName.equals(n)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
