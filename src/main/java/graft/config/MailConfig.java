package graft.config;

import java.time.Duration;

/**
 * Mailbox limits. {@code maxMessageSize}: the largest message (with its attachments) a mailbox takes, Exchange
 * Online's default of 35 MB unless raised, at most to 150 MB ({@code mail: { maxMessageSizeMB: 150 }}).
 * {@code uploadSessionLifetime}: how long an attachment upload session lives after its last chunk.
 */
public record MailConfig(long maxMessageSize, Duration uploadSessionLifetime) {
    public static final long MB = 1024L * 1024;
    public static final Duration DEFAULT_UPLOAD_SESSION_LIFETIME = Duration.ofMinutes(30);
    public static final MailConfig DEFAULT = new MailConfig(35 * MB, DEFAULT_UPLOAD_SESSION_LIFETIME);
}
