package graft.http;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The one place that writes Graph's error envelope. */
public final class ErrorResponses {
    /** Outlook's innerError date: no zone designator, no fractions, e.g. 2019-05-24T10:16:21. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    static final String JSON = "application/json";

    private ErrorResponses() {
    }

    public static void send(Exchange ex, GraphError error) {
        error.headers().forEach(ex::setHeader);
        ex.send(error.status(), JSON, body(ex, error.code(), error.getMessage()));
    }

    static byte[] body(Exchange ex, String code, String message) {
        String date = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DATE);
        return Json.bytes(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeObjectFieldStart("innerError");
            g.writeStringField("date", date);
            g.writeStringField("request-id", ex.requestId());
            g.writeStringField("client-request-id", ex.clientRequestId());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
