package graft.mail;


import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Mail that Graft itself writes into a mailbox (a non-delivery report from the postmaster), and the stored
 * form of a submitted message read back for delivery. Uses the same table code as every other message.
 */
public final class SystemMessages {

    private SystemMessages() {
    }

    /** The message as it was sent, from the Graph JSON stored with its submission. */
    public static Message readSubmitted(String json, String messageId, UUID mailboxId) {
        try {
            return MessageJson.readStored(json, new MessageId(messageId), mailboxId,
                    FolderId.of(mailboxId, WellKnownFolder.SENTITEMS));
        } catch (IOException e) {
            throw new IllegalArgumentException("submitted message " + messageId + " is not valid JSON", e);
        }
    }

    /**
     * Puts a new, unread message into the Inbox of {@code mailboxId}, inside the caller's transaction.
     * @return the new message
     */
    public static Message deliverToInbox(Connection c, UUID mailboxId, String domain, Recipient from, Recipient to,
                                         String subject, ItemBody body, String importance, Instant now) throws SQLException {
        Message.Builder b = new Message.Builder();
        b.id = MessageId.random();
        b.mailboxId = mailboxId;
        b.folderId = FolderId.of(mailboxId, WellKnownFolder.INBOX);
        b.changeKey = Messages.changeKey();
        b.createdDateTime = now;
        b.lastModifiedDateTime = now;
        b.receivedDateTime = now;
        b.sentDateTime = now;
        b.isDraft = false;
        b.isRead = false;
        b.subject = HeaderSafe.clean(subject);
        b.body = body;
        b.importance = importance;
        b.from = from;
        b.sender = from;
        b.toRecipients = List.of(to);
        b.internetMessageId = "<" + token(18) + "@" + domain + ">";
        b.conversationId = "AAQk" + token(24);
        b.conversationIndex = "";
        Message m = b.build();
        MessageTable.insert(c, m);
        return m;
    }

    private static String token(int bytes) {
        return RandomText.base64Url(bytes);
    }
}
