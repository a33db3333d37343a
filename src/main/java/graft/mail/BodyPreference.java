package graft.mail;

import graft.http.Exchange;

import java.util.Locale;

/**
 * {@code Prefer: outlook.body-content-type="text"|"html"}: the format a client wants bodies in. When honoured the
 * response says so in {@code Preference-Applied}.
 */
enum BodyPreference {
    AS_STORED, TEXT, HTML;

    static BodyPreference of(Exchange ex) {
        for (String prefer : ex.headers("Prefer")) {
            for (String part : prefer.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.equals("outlook.body-content-type=\"text\"") || p.equals("outlook.body-content-type=text")) {
                    return TEXT;
                }
                if (p.equals("outlook.body-content-type=\"html\"") || p.equals("outlook.body-content-type=html")) {
                    return HTML;
                }
            }
        }
        return AS_STORED;
    }

    String applied() {
        return this == AS_STORED ? null : "outlook.body-content-type=\"" + name().toLowerCase(Locale.ROOT) + "\"";
    }

    Message apply(Message m) {
        if (this == TEXT && m.body().html()) {
            Message.Builder b = m.toBuilder();
            b.body = new ItemBody(false, BodyText.htmlToText(m.body().content()).strip());
            return b.build();
        }
        if (this == HTML && !m.body().html()) {
            Message.Builder b = m.toBuilder();
            b.body = new ItemBody(true, BodyText.wrapHtml(escape(m.body().content())));
            return b.build();
        }
        return m;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r\n", "\n").replace("\n", "<br>\r\n");
    }
}
