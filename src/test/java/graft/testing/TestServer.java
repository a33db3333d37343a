package graft.testing;

import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import graft.App;
import graft.config.ConfigLoader;
import graft.config.GraftConfig;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real Graft server on random ports with a test directory: two tenants, a few users, a full app and a
 * read-only app. One per test class; tests talk to it over real sockets only.
 */
public final class TestServer implements AutoCloseable {
    public static final String TENANT = "6f1c2d3e-0000-4000-8000-000000000001";
    public static final String OTHER_TENANT = "6f1c2d3e-0000-4000-8000-000000000002";
    public static final String APP = "2b9e1a4c-0000-4000-8000-00000000000a";
    public static final String READER_APP = "2b9e1a4c-0000-4000-8000-00000000000b";
    public static final String OTHER_APP = "2b9e1a4c-0000-4000-8000-00000000000c";
    public static final String SECRET = "app-secret";
    public static final String ALICE = "alice@contoso.test";
    public static final String BOB = "bob@contoso.test";
    public static final String CAROL = "carol@contoso.test";
    public static final String DAVE = "dave@fabrikam.test";

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");
    private final App app;
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(App app, Path dir) {
        this.app = app;
        this.dir = dir;
    }

    public static TestServer start() {
        return start("");
    }

    /** @param extraYaml top-level YAML appended to the test configuration */
    public static TestServer start(String extraYaml) {
        return start(extraYaml, "");
    }

    /**
     * @param extraYaml top-level YAML appended to the test configuration (e.g. {@code delivery:}, {@code admin:})
     * @param contosoYaml keys added to the contoso.test tenant, indented by four spaces (e.g. {@code "    outbound: relay\n"})
     */
    public static TestServer start(String extraYaml, String contosoYaml) {
        try {
            Path dir = Files.createTempDirectory("graft-test");
            Path file = dir.resolve("graft.yaml");
            Files.writeString(file, config(contosoYaml) + extraYaml);
            GraftConfig cfg = ConfigLoader.load(file);
            return new TestServer(App.start(cfg), dir);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start Graft for a test", e);
        }
    }

    static String config() {
        return config("");
    }

    /** The test configuration, with {@code contosoYaml} added to the contoso.test tenant. */
    public static String config(String contosoYaml) {
        return """
                http: { host: 127.0.0.1, port: 0, httpsPort: 0 }
                dataDir: ./data
                tenants:
                  - id: %s
                    domain: contoso.test
                %s    users:
                      - { userPrincipalName: alice@contoso.test, displayName: Alice Adams, password: alice-pw }
                      - { userPrincipalName: bob@contoso.test, displayName: Bob Brown, password: bob-pw }
                      - { userPrincipalName: carol@contoso.test, displayName: Carol Clark, password: carol-pw }
                    applications:
                      - clientId: %s
                        clientSecret: %s
                        roles: [Mail.Send, Mail.ReadWrite]
                        scopes: [Mail.Send, Mail.ReadWrite, Mail.Read, Mail.ReadBasic, User.Read, User.ReadBasic.All]
                      - clientId: %s
                        clientSecret: %s
                        roles: [Mail.Read]
                        scopes: [Mail.Read]
                  - id: %s
                    domain: fabrikam.test
                    users:
                      - { userPrincipalName: dave@fabrikam.test, displayName: Dave Dunn, password: dave-pw }
                    applications:
                      - clientId: %s
                        clientSecret: %s
                        roles: [Mail.Send, Mail.ReadWrite]
                        scopes: [Mail.Send, Mail.ReadWrite]
                """.formatted(TENANT, contosoYaml, APP, SECRET, READER_APP, SECRET, OTHER_TENANT, OTHER_APP, SECRET);
    }

    public String base() {
        return "http://127.0.0.1:" + app.httpPort();
    }

    public int port() {
        return app.httpPort();
    }

    public URI uri(String path) {
        return URI.create(base() + path);
    }

    public String httpsBase() {
        return "https://localhost:" + app.httpsPort().orElseThrow();
    }

    public Path certificate() {
        return app.certificatePath().orElseThrow();
    }

    public Path dataDir() {
        return app.config().dataDir();
    }

    /** An application token (client credentials) of the full app of the test tenant. */
    public String appToken() {
        return appToken(TENANT, APP);
    }

    public String appToken(String tenant, String clientId) {
        return token(tenant, "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + SECRET
                + "&scope=" + enc("https://graph.microsoft.com/.default"));
    }

    /** A delegated token (password grant) for a user of the test tenant, e.g. scope "Mail.Send Mail.ReadWrite". */
    public String userToken(String upn, String scope) {
        return userToken(TENANT, APP, upn, scope);
    }

    public String userToken(String tenant, String clientId, String upn, String scope) {
        String password = upn.substring(0, upn.indexOf('@')) + "-pw";
        return token(tenant, "grant_type=password&client_id=" + clientId + "&client_secret=" + SECRET + "&username=" + enc(upn)
                + "&password=" + enc(password) + "&scope=" + enc(scope));
    }

    private String token(String tenant, String form) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        Matcher m = ACCESS_TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token request failed: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** The official Graph SDK pointed at this server with a fixed token. */
    public GraphServiceClient graph(String token) {
        AccessTokenProvider provider = new AccessTokenProvider() {
            @Override
            public String getAuthorizationToken(URI uri, Map<String, Object> context) {
                return token;
            }

            @Override
            public AllowedHostsValidator getAllowedHostsValidator() {
                return new AllowedHostsValidator();
            }
        };
        GraphServiceClient client = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(provider));
        client.getRequestAdapter().setBaseUrl(base() + "/v1.0");
        return client;
    }

    /** Raw HTTP: {@code path} is relative to the server root, e.g. "/v1.0/me/messages". */
    public HttpResponse<String> call(String method, String path, String token, String jsonBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (jsonBody != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}
