package graft.mail;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One message in one mailbox folder, with the properties of Graph's {@code message} resource, plus the threading
 * headers ({@code In-Reply-To}, {@code References}) that Graph does not show but MIME carries.
 */
public record Message(
        MessageId id, UUID mailboxId, FolderId folderId, String changeKey,
        Instant createdDateTime, Instant lastModifiedDateTime, Instant receivedDateTime, Instant sentDateTime,
        boolean isDraft, boolean isRead, boolean hasAttachments,
        String subject, ItemBody body, String importance,
        Recipient from, Recipient sender,
        List<Recipient> toRecipients, List<Recipient> ccRecipients, List<Recipient> bccRecipients, List<Recipient> replyTo,
        String internetMessageId, String conversationId, String conversationIndex,
        List<String> categories, FollowupFlag flag, String inferenceClassification,
        boolean isReadReceiptRequested, Boolean isDeliveryReceiptRequested,
        List<InternetMessageHeader> internetMessageHeaders,
        String inReplyTo, String references) {

    public Message {
        toRecipients = List.copyOf(toRecipients);
        ccRecipients = List.copyOf(ccRecipients);
        bccRecipients = List.copyOf(bccRecipients);
        replyTo = List.copyOf(replyTo);
        categories = List.copyOf(categories);
        internetMessageHeaders = List.copyOf(internetMessageHeaders);
    }

    public String bodyPreview() {
        return BodyText.preview(body);
    }

    public int recipientCount() {
        return toRecipients.size() + ccRecipients.size() + bccRecipients.size();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy, for the few places that derive one message from another. */
    public static final class Builder {
        public MessageId id;
        public UUID mailboxId;
        public FolderId folderId;
        public String changeKey;
        public Instant createdDateTime;
        public Instant lastModifiedDateTime;
        public Instant receivedDateTime;
        public Instant sentDateTime;
        public boolean isDraft;
        public boolean isRead;
        public boolean hasAttachments;
        public String subject = "";
        public ItemBody body = ItemBody.EMPTY;
        public String importance = "normal";
        public Recipient from;
        public Recipient sender;
        public List<Recipient> toRecipients = List.of();
        public List<Recipient> ccRecipients = List.of();
        public List<Recipient> bccRecipients = List.of();
        public List<Recipient> replyTo = List.of();
        public String internetMessageId;
        public String conversationId;
        public String conversationIndex;
        public List<String> categories = List.of();
        public FollowupFlag flag = FollowupFlag.NOT_FLAGGED;
        public String inferenceClassification = "focused";
        public boolean isReadReceiptRequested;
        public Boolean isDeliveryReceiptRequested = false;
        public List<InternetMessageHeader> internetMessageHeaders = List.of();
        public String inReplyTo;
        public String references;

        public Builder() {
        }

        private Builder(Message m) {
            id = m.id;
            mailboxId = m.mailboxId;
            folderId = m.folderId;
            changeKey = m.changeKey;
            createdDateTime = m.createdDateTime;
            lastModifiedDateTime = m.lastModifiedDateTime;
            receivedDateTime = m.receivedDateTime;
            sentDateTime = m.sentDateTime;
            isDraft = m.isDraft;
            isRead = m.isRead;
            hasAttachments = m.hasAttachments;
            subject = m.subject;
            body = m.body;
            importance = m.importance;
            from = m.from;
            sender = m.sender;
            toRecipients = m.toRecipients;
            ccRecipients = m.ccRecipients;
            bccRecipients = m.bccRecipients;
            replyTo = m.replyTo;
            internetMessageId = m.internetMessageId;
            conversationId = m.conversationId;
            conversationIndex = m.conversationIndex;
            categories = m.categories;
            flag = m.flag;
            inferenceClassification = m.inferenceClassification;
            isReadReceiptRequested = m.isReadReceiptRequested;
            isDeliveryReceiptRequested = m.isDeliveryReceiptRequested;
            internetMessageHeaders = m.internetMessageHeaders;
            inReplyTo = m.inReplyTo;
            references = m.references;
        }

        public Message build() {
            return new Message(id, mailboxId, folderId, changeKey, createdDateTime, lastModifiedDateTime, receivedDateTime,
                    sentDateTime, isDraft, isRead, hasAttachments, subject, body, importance, from, sender, toRecipients,
                    ccRecipients, bccRecipients, replyTo, internetMessageId, conversationId, conversationIndex, categories,
                    flag, inferenceClassification, isReadReceiptRequested, isDeliveryReceiptRequested, internetMessageHeaders,
                    inReplyTo, references);
        }
    }
}
