package graft.http;

import graft.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Behind a TLS-terminating load balancer the links Graft hands out keep the scheme the client used (X-Forwarded-Proto). */
class ForwardedHeadersTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void linksUseTheSchemeTheClientUsedWithTheBalancer() {
        String token = server.appToken();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/v1.0/users/" + TestServer.ALICE))
                .header("Authorization", "Bearer " + token).header("X-Forwarded-Proto", "https")
                .build());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("\"@odata.context\":\"https://" + "127.0.0.1:" + server.port() + "/v1.0/$metadata");
    }
}
