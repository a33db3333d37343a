package graft.config;

/**
 * Mailbox limits. {@code maxMessageSize}: the largest message (with its attachments) a mailbox takes, Exchange
 * Online's default of 35 MB unless raised, at most to 150 MB ({@code mail: { maxMessageSizeMB: 150 }}).
 */
public record MailConfig(long maxMessageSize) {
    public static final long MB = 1024L * 1024;
    public static final MailConfig DEFAULT = new MailConfig(35 * MB);
}
