package graft.mail;

import graft.http.GraphError;
import graft.mime.MimeParser;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A message given as MIME (contract §1.1, §1.6): {@code Content-Type: text/plain} with the whole RFC 5322 message
 * base64-encoded as the body. It becomes the same change and attachments a JSON body would.
 */
final class MimeInput {
    private MimeInput() {
    }

    static MessageInput parse(byte[] body, UnaryOperator<String> names) {
        MimeParser.Parsed parsed;
        try {
            parsed = MimeParser.parse(decode(body));
        } catch (MimeParser.InvalidMime e) {
            throw new GraphError(400, "ErrorMimeContentInvalid", e.getMessage());
        }
        return MessageInput.of("mime", b -> apply(parsed, b, names), attachments(parsed, names));
    }

    /** Strict base64 (RFC 4648 4), line breaks and spaces aside: a body that is anything else is refused as Graph does. */
    static byte[] decode(byte[] body) {
        byte[] compact = new byte[body.length];
        int n = 0;
        for (byte c : body) {
            if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                compact[n++] = c;
            }
        }
        if (n == 0) {
            throw new GraphError(400, "ErrorMimeContentInvalid", "The MIME content is empty.");
        }
        try {
            return Base64.getDecoder().decode(java.util.Arrays.copyOf(compact, n));
        } catch (IllegalArgumentException e) {
            throw new GraphError(400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.");
        }
    }

    private static void apply(MimeParser.Parsed p, Message.Builder b, UnaryOperator<String> names) {
        b.subject = p.subject() == null ? "" : p.subject();
        b.body = p.body().html() ? new ItemBody(true, BodyText.wrapHtml(p.body().content())) : p.body();
        b.importance = p.importance();
        b.from = named(p.from(), names);
        b.sender = p.sender() == null ? null : named(p.sender(), names);
        b.toRecipients = named(p.to(), names);
        b.ccRecipients = named(p.cc(), names);
        b.bccRecipients = named(p.bcc(), names);
        b.replyTo = named(p.replyTo(), names);
        if (p.messageId() != null && !p.messageId().isBlank()) {
            b.internetMessageId = p.messageId();
        }
        if (p.date() != null) {
            b.sentDateTime = p.date(); // a draft keeps its Date; a send stamps the time it is sent
        }
        b.internetMessageHeaders = p.headers();
        b.inReplyTo = p.inReplyTo();
        b.references = p.references();
        b.hasAttachments = p.attachments().stream().anyMatch(a -> !a.isInline());
    }

    private static List<AttachmentInput> attachments(MimeParser.Parsed p, UnaryOperator<String> names) {
        List<AttachmentInput> out = new ArrayList<>();
        for (MimeParser.Attachment a : p.attachments()) {
            if (a.item() != null) {
                Message.Builder item = new Message.Builder();
                apply(a.item(), item, names);
                item.hasAttachments = false; // an attached message keeps its text, not its own attachments
                out.add(AttachmentInput.item(a.name(), item));
            } else {
                out.add(AttachmentInput.file(a.name(), a.contentType(), a.isInline(), a.contentId(), a.content()));
            }
        }
        return out;
    }

    private static Recipient named(Recipient r, UnaryOperator<String> names) {
        if (r == null || r.name() != null) {
            return r;
        }
        return new Recipient(names.apply(r.address()), r.address());
    }

    private static List<Recipient> named(List<Recipient> list, UnaryOperator<String> names) {
        return list.stream().map(r -> named(r, names)).toList();
    }
}
