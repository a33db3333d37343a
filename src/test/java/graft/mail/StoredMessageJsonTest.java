package graft.mail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored JSON of a message: what is written is read back the same, and older or odd copies still read. */
class StoredMessageJsonTest {
    private static final UUID MAILBOX = UUID.fromString("6f1c7a8e-1111-4a4a-9c9c-123456789abc");

    @Test
    void aFullMessageReadsBackEqual() throws IOException {
        Instant t = Instant.parse("2026-12-04T22:54:03Z");
        Message.Builder b = new Message.Builder();
        b.id = MessageId.random();
        b.mailboxId = MAILBOX;
        b.folderId = FolderId.of(MAILBOX, WellKnownFolder.SENTITEMS);
        b.changeKey = "CQAAABYAAAB";
        b.createdDateTime = t;
        b.lastModifiedDateTime = t.plusSeconds(1);
        b.receivedDateTime = t.plusSeconds(2);
        b.sentDateTime = t.plusSeconds(3);
        b.isDraft = false;
        b.isRead = true;
        b.hasAttachments = true;
        b.subject = "Grüße \"quoted\" \\ and\ttab";
        b.body = new ItemBody(true, "<p>Hallo 👋</p>\r\n");
        b.importance = "high";
        b.from = new Recipient("Alice Ärger", "alice@contoso.test");
        b.sender = new Recipient(null, "alice@contoso.test");
        b.toRecipients = List.of(new Recipient("Bob", "bob@contoso.test"), new Recipient(null, "x@example.com"));
        b.ccRecipients = List.of(new Recipient("Carol", "carol@example.com"));
        b.bccRecipients = List.of(new Recipient("Dan", "dan@example.com"));
        b.replyTo = List.of(new Recipient("Help", "help@contoso.test"));
        b.internetMessageId = "<abc@contoso.test>";
        b.conversationId = "AAQkconv";
        b.conversationIndex = "AQHZ";
        b.categories = List.of("Red category", "Blue");
        b.flag = new FollowupFlag("flagged", new FollowupFlag.DateTimeTimeZone("2026-12-05T00:00:00.0000000", "UTC"),
                new FollowupFlag.DateTimeTimeZone("2026-12-06T00:00:00.0000000", "UTC"), null);
        b.inferenceClassification = "other";
        b.isReadReceiptRequested = true;
        b.isDeliveryReceiptRequested = null;
        b.internetMessageHeaders = List.of(new InternetMessageHeader("x-custom", "value"));
        b.inReplyTo = "<parent@contoso.test>";
        b.references = "<root@contoso.test> <parent@contoso.test>";
        Message m = b.build();

        Message read = MessageJson.readStored(MessageTable.content(m), m.id(), m.mailboxId(), m.folderId());

        assertEquals(m, read);
    }

    @Test
    void missingPropertiesGetGraphDefaultsAndUnknownOnesAreSkipped() throws IOException {
        MessageId id = MessageId.random();
        FolderId inbox = FolderId.of(MAILBOX, WellKnownFolder.INBOX);
        Message m = MessageJson.readStored("{\"subject\":\"s\",\"future\":{\"a\":[1,{\"b\":null}]},\"toRecipients\":[{\"emailAddress\":"
                + "{\"address\":\"bob@contoso.test\",\"extra\":true}}],\"from\":null,\"body\":{\"contentType\":\"text\"}}", id, MAILBOX, inbox);

        assertEquals("s", m.subject());
        assertEquals(List.of(new Recipient(null, "bob@contoso.test")), m.toRecipients());
        assertNull(m.from());
        assertEquals(ItemBody.EMPTY, m.body());
        assertEquals("normal", m.importance());
        assertEquals(FollowupFlag.NOT_FLAGGED, m.flag());
        assertEquals("focused", m.inferenceClassification());
        assertEquals(List.of(), m.categories());
        assertNull(m.createdDateTime());
        assertNull(m.isDeliveryReceiptRequested());
    }

    @Test
    void notAnObjectIsAnError() {
        assertThrows(IOException.class, () -> MessageJson.readStored("[1]", MessageId.random(), MAILBOX,
                FolderId.of(MAILBOX, WellKnownFolder.INBOX)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2026-12-04T22:54:03Z", "9999-12-31T23:59:59Z",
            "2000-01-01T12:00:00Z"})
    void dateTimesRoundTrip(String text) {
        Instant t = Instant.parse(text);
        assertEquals(text, MessageJson.dateTime(t));
        assertEquals(t, MessageJson.parseDateTime(text));
        assertEquals(text, MessageJson.dateTime(t.plusMillis(999)), "whole seconds, as Graph writes them");
    }

    @Test
    void otherDateTimeFormsStillParse() {
        assertEquals(Instant.parse("1969-12-31T23:59:59Z"), MessageJson.parseDateTime("1969-12-31T23:59:59Z"));
        assertEquals(Instant.parse("2026-12-04T22:54:03.123Z"), MessageJson.parseDateTime("2026-12-04T22:54:03.123Z"));
        assertEquals("1969-12-31T23:59:59Z", MessageJson.dateTime(Instant.parse("1969-12-31T23:59:59.5Z")));
        assertThrows(DateTimeParseException.class, () -> MessageJson.parseDateTime("2026-02-30T00:00:00Z"));
        assertThrows(DateTimeParseException.class, () -> MessageJson.parseDateTime("2026-1a-04T22:54:03Z"));
    }
}
