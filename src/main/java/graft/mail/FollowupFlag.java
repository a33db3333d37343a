package graft.mail;

/** Graph's {@code followupFlag}; the date-times are Graph's {@code dateTimeTimeZone} values, or null. */
public record FollowupFlag(String flagStatus, DateTimeTimeZone startDateTime, DateTimeTimeZone dueDateTime,
                           DateTimeTimeZone completedDateTime) {
    public static final FollowupFlag NOT_FLAGGED = new FollowupFlag("notFlagged", null, null, null);

    public record DateTimeTimeZone(String dateTime, String timeZone) {
    }
}
