package graft.delivery;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One SMTP reply (RFC 5321 4.2): a three-digit code and its lines, the last one without a hyphen. */
record SmtpReply(int code, List<String> lines) {
    /** RFC 3463 enhanced status code at the start of the text, as RFC 2034 servers send it. */
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");

    SmtpReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    /** The reply as one line, as a trace shows it: "550 5.1.1 no such user". */
    String text() {
        return code + (lines.isEmpty() ? "" : " " + String.join(" ", lines)).stripTrailing();
    }

    /** The enhanced status (e.g. "5.1.1"), or one derived from the basic code. */
    String enhancedStatus() {
        if (!lines.isEmpty()) {
            Matcher m = ENHANCED.matcher(lines.getFirst());
            if (m.find()) {
                return m.group(1) + "." + m.group(2) + "." + m.group(3);
            }
        }
        return code >= 500 ? "5.0.0" : code >= 400 ? "4.0.0" : "2.0.0";
    }

    static String enhancedStatusOf(String replyText) {
        if (replyText == null || replyText.length() < 3) {
            return "5.0.0";
        }
        Matcher m = ENHANCED.matcher(replyText.length() > 4 ? replyText.substring(4) : "");
        if (m.find()) {
            return m.group(1) + "." + m.group(2) + "." + m.group(3);
        }
        return replyText.charAt(0) == '4' ? "4.0.0" : "5.0.0";
    }
}
