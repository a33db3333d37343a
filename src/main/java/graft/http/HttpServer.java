package graft.http;

import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

/** The Jetty server: plain HTTP and, when asked for, HTTPS; requests are handled on virtual threads. */
public final class HttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;

    public HttpServer(String host, int port, Optional<Integer> httpsPort, TlsMaterial tls, List<Routes> routes, String diagnostic) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        server.setStopTimeout(2_000);

        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // Behind a TLS-terminating load balancer: X-Forwarded-Proto makes the links Graft hands out https again.
        config.addCustomizer(new ForwardedRequestCustomizer());
        http = new ServerConnector(server, new HttpConnectionFactory(config));
        http.setHost(host);
        http.setPort(port);
        server.addConnector(http);

        if (httpsPort.isPresent()) {
            HttpConfiguration secure = new HttpConfiguration(config);
            SecureRequestCustomizer customizer = new SecureRequestCustomizer();
            TlsMaterial.relaxSni(customizer);
            secure.addCustomizer(customizer);
            https = new ServerConnector(server, new SslConnectionFactory(tls.sslContextFactory(), "http/1.1"),
                    new HttpConnectionFactory(secure));
            https.setHost(host);
            https.setPort(httpsPort.get());
            server.addConnector(https);
        } else {
            https = null;
        }
        server.setHandler(new GraftHandler(routes, diagnostic));
    }

    public void start() throws Exception {
        server.start();
    }

    public int httpPort() {
        return http.getLocalPort();
    }

    public Optional<Integer> httpsPort() {
        return https == null ? Optional.empty() : Optional.of(https.getLocalPort());
    }

    /** Stops listening and lets requests in flight finish; idle keep-alive connections are not waited for. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } catch (java.util.concurrent.TimeoutException idleConnectionsRemained) {
            // graceful stop gave up on connections that stayed open after their last response; they are closed now
        }
    }
}
