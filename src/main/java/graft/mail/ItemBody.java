package graft.mail;

/** Graph's {@code itemBody}; {@code html} is false for text bodies. */
public record ItemBody(boolean html, String content) {
    public static final ItemBody EMPTY = new ItemBody(false, "");

    public String contentType() {
        return html ? "html" : "text";
    }
}
