package graft.mail;

/** A custom {@code x-} header carried into the MIME message. */
public record InternetMessageHeader(String name, String value) {
}
