package graft.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** One HTTP request and its response, with the Graph conventions every handler needs. */
public final class Exchange {
    /** Graph's request body limit: "The maximum request length supported is 4MB." */
    public static final int MAX_BODY = 4 * 1024 * 1024;
    /** How much of an unread request body is read and dropped before answering (see keepConnectionUsable). */
    private static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    private final Request request;
    private final Response response;
    private final Callback callback;
    /** Unique, not secret: a version 4 UUID from a fast generator rather than the system's secure one. */
    private final String requestId = randomUuid();
    private final String clientRequestId;
    private List<Map.Entry<String, String>> query;
    private boolean sent;
    private boolean bodyRead;

    Exchange(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        String given = request.getHeaders().get("client-request-id");
        this.clientRequestId = given == null || given.isBlank() ? requestId : given;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path exactly as sent, still percent-encoded: keys are decoded per segment, after splitting. */
    public String rawPath() {
        return request.getHttpURI().getPath();
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public List<String> headers(String name) {
        return request.getHeaders().getValuesList(name);
    }

    private static String randomUuid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return new UUID(r.nextLong() & ~0xF000L | 0x4000L, r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L).toString();
    }

    public String requestId() {
        return requestId;
    }

    public String clientRequestId() {
        return clientRequestId;
    }

    /** scheme://host[:port] as the client addressed us, so links we hand out lead back here. */
    public String baseUrl() {
        var uri = request.getHttpURI();
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || host.isBlank()) {
            host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return uri.getScheme() + "://" + host;
    }

    public String rawQuery() {
        return request.getHttpURI().getQuery();
    }

    /** Query parameters in order, each name and value percent-decoded. */
    public List<Map.Entry<String, String>> query() {
        if (query == null) {
            query = parseQuery(rawQuery());
        }
        return query;
    }

    static List<Map.Entry<String, String>> parseQuery(String raw) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.add(new AbstractMap.SimpleImmutableEntry<>(decode(name), decode(value)));
        }
        return out;
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GraphError.badRequest("The query string is not correctly percent-encoded.");
        }
    }

    /** True when the request announced a body: a Content-Length (even 0) or chunked transfer. */
    public boolean declaresLength() {
        return request.getHeaders().contains(HttpHeader.CONTENT_LENGTH)
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    public String contentType() {
        String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return ct == null ? "" : ct;
    }

    /** Reads the whole body, refusing more than {@link #MAX_BODY} bytes with Graph's 413. */
    public byte[] body() {
        long declared = request.getLength();
        if (declared > MAX_BODY) {
            throw tooLarge();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] data;
            if (declared >= 0) {
                // Up to what was declared; memory grows with what arrives, not with what a client claims it will send.
                data = in.readNBytes((int) declared);
                if (data.length < declared) {
                    throw GraphError.badRequest("The request body ended after " + data.length + " of the " + declared + " bytes it declared.");
                }
            } else {
                data = in.readNBytes(MAX_BODY + 1);
                if (data.length > MAX_BODY) {
                    throw tooLarge();
                }
            }
            bodyRead = true;
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GraphError tooLarge() {
        return new GraphError(413, "BadRequest", "The maximum request length supported is 4MB.");
    }

    public void setHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void send(int status, String contentType, byte[] body) {
        if (sent) {
            throw new IllegalStateException("response already sent");
        }
        sent = true;
        keepConnectionUsable();
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * A request body nobody read (or read only in part, as when it was too large) would be left on the connection.
     * Up to {@link #DRAIN_LIMIT} bytes are read and dropped, so the client, still sending, gets to read our answer
     * and may reuse the connection; beyond that the response says {@code Connection: close}.
     */
    private void keepConnectionUsable() {
        if (bodyRead || !declaresLength()) {
            return;
        }
        long declared = request.getLength();
        if (declared <= DRAIN_LIMIT) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] buffer = new byte[64 * 1024];
                long dropped = 0;
                int n;
                while (dropped <= DRAIN_LIMIT && (n = in.read(buffer)) >= 0) {
                    dropped += n;
                }
                if (dropped <= DRAIN_LIMIT) {
                    return;
                }
            } catch (IOException e) {
                // fall through: the connection is not reusable
            }
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    /** Writes a response body of unknown length straight to the client. */
    @FunctionalInterface
    public interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Streams the body (chunked, no Content-Length) so that a large one is never held in memory. Anything that can
     * fail with an error response must be checked before: once this starts, a failure can only abort the response.
     */
    public void stream(int status, String contentType, BodyWriter body) {
        if (sent) {
            throw new IllegalStateException("response already sent");
        }
        sent = true;
        keepConnectionUsable();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            body.writeTo(out);
            // Closed only on success: closing ends the response normally, which would pass off a truncated body as whole.
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        callback.succeeded();
    }

    public void sendEmpty(int status) {
        send(status, null, new byte[0]);
    }

    boolean sent() {
        return sent;
    }
}
