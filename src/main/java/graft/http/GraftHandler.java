package graft.http;

import graft.store.StoreException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Entry point of every request: sets the correlation headers, offers the request to each family of routes,
 * and turns anything that escapes into a Graph error envelope. No stack trace ever reaches a client.
 */
final class GraftHandler extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(GraftHandler.class);
    static final int RETRY_AFTER_SECONDS = 2;
    private final List<Routes> routes;
    private final String diagnostic;

    GraftHandler(List<Routes> routes, String diagnostic) {
        super(InvocationType.BLOCKING);
        this.routes = List.copyOf(routes);
        this.diagnostic = diagnostic;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex = new Exchange(request, response, callback);
        ex.setHeader("request-id", ex.requestId());
        ex.setHeader("client-request-id", ex.clientRequestId());
        ex.setHeader("x-ms-ags-diagnostic", diagnostic);
        try {
            boolean handled = false;
            for (Routes r : routes) {
                if (r.handle(ex)) {
                    handled = true;
                    break;
                }
            }
            if (!handled) {
                throw new GraphError(404, "NotFound", "The requested path '" + ex.rawPath() + "' was not found.");
            }
        } catch (GraphError e) {
            replyWithError(ex, e, callback);
        } catch (StoreException e) {
            if (e.isTransient()) {
                // The database is restarting, failing over or out of connections and nothing was applied: the
                // client may simply retry, as Graph asks with 503 and Retry-After (the Graph SDKs do so by themselves).
                log.warn("request-id {}: {} {}: store unavailable: {}", ex.requestId(), ex.method(), ex.rawPath(), e.getMessage());
                replyWithError(ex, new GraphError(503, "ServiceUnavailable", "The service is temporarily unavailable. Retry after "
                        + RETRY_AFTER_SECONDS + " seconds.", Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS))), callback);
            } else {
                unexpected(ex, e, callback);
            }
        } catch (Throwable t) {
            unexpected(ex, t, callback);
        }
        return true;
    }

    private static void unexpected(Exchange ex, Throwable t, Callback callback) {
        log.error("request-id {}: {} {} failed", ex.requestId(), ex.method(), ex.rawPath(), t);
        replyWithError(ex, new GraphError(500, "generalException",
                "An unexpected error occurred. Quote request-id " + ex.requestId() + " when reporting it."), callback);
    }

    private static void replyWithError(Exchange ex, GraphError e, Callback callback) {
        if (ex.sent()) {
            callback.failed(e);
            return;
        }
        ErrorResponses.send(ex, e);
    }
}
