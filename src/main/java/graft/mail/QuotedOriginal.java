package graft.mail;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The body of a reply or forward as Outlook writes it: the new text, a From/Sent/To/Cc/Subject block, the original. */
final class QuotedOriginal {
    private static final DateTimeFormatter SENT = DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy h:mm a", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final Pattern BODY = Pattern.compile("(?is)<body[^>]*>(.*)</body>");

    private QuotedOriginal() {
    }

    static String html(String comment, Message original) {
        StringBuilder b = new StringBuilder();
        b.append("<div>").append(comment == null ? "" : escape(comment).replace("\n", "<br>")).append("</div>\r\n");
        b.append("<hr style=\"display:inline-block;width:98%\" tabindex=\"-1\">\r\n");
        b.append("<div id=\"divRplyFwdMsg\" dir=\"ltr\"><b>From:</b> ").append(escape(display(original.from() != null ? original.from() : original.sender())))
                .append("<br>\r\n<b>Sent:</b> ").append(original.sentDateTime() == null ? "" : SENT.format(original.sentDateTime()))
                .append("<br>\r\n<b>To:</b> ").append(escape(names(original.toRecipients()))).append("<br>\r\n");
        if (!original.ccRecipients().isEmpty()) {
            b.append("<b>Cc:</b> ").append(escape(names(original.ccRecipients()))).append("<br>\r\n");
        }
        b.append("<b>Subject:</b> ").append(escape(original.subject())).append("</div>\r\n<div>&nbsp;</div>\r\n");
        b.append(originalHtml(original.body()));
        return BodyText.wrapHtml(b.toString());
    }

    private static String originalHtml(ItemBody body) {
        if (!body.html()) {
            return "<div>" + escape(body.content()).replace("\r\n", "\n").replace("\n", "<br>\r\n") + "</div>";
        }
        Matcher m = BODY.matcher(body.content());
        return m.find() ? m.group(1) : body.content();
    }

    private static String names(List<Recipient> recipients) {
        return recipients.stream().map(QuotedOriginal::display).collect(Collectors.joining("; "));
    }

    private static String display(Recipient r) {
        if (r == null) {
            return "";
        }
        return r.name() != null && !r.name().isBlank() ? r.name() : String.valueOf(r.address());
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
