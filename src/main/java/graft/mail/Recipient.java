package graft.mail;

/** Graph's {@code recipient}: {@code {"emailAddress":{"name","address"}}}. */
public record Recipient(String name, String address) {
}
