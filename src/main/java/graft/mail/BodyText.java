package graft.mail;

import java.util.regex.Pattern;

/** Text derived from a body: the preview, and the wrapping Exchange gives an HTML body. */
final class BodyText {
    private static final Pattern SCRIPT_OR_STYLE = Pattern.compile("(?is)<(script|style|head)[^>]*>.*?</\\1\\s*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]*>");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    static final int PREVIEW_LENGTH = 255;

    private BodyText() {
    }

    /** {@code bodyPreview}: the first 255 characters of the body as text. */
    static String preview(ItemBody body) {
        String text = body.html() ? htmlToText(body.content()) : body.content();
        text = SPACE.matcher(text).replaceAll(" ").strip();
        return text.length() <= PREVIEW_LENGTH ? text : text.substring(0, PREVIEW_LENGTH);
    }

    static String htmlToText(String html) {
        String noScripts = SCRIPT_OR_STYLE.matcher(html).replaceAll(" ");
        String text = TAG.matcher(noScripts).replaceAll(" ");
        return text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** Exchange stores an HTML body as a whole document; a fragment is wrapped the way Outlook wraps it. */
    static String wrapHtml(String content) {
        if (content.regionMatches(true, 0, "<html", 0, 5) || content.stripLeading().regionMatches(true, 0, "<html", 0, 5)) {
            return content;
        }
        return "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n</head>\r\n<body>\r\n"
                + content + "\r\n</body>\r\n</html>\r\n";
    }
}
