package graft.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientSecretCredential;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.Message;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.sendmail.SendMailPostRequestBody;
import com.microsoft.kiota.authentication.AzureIdentityAuthenticationProvider;
import graft.testing.TestMail;
import graft.testing.TestServer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;

import static graft.testing.TestServer.ALICE;
import static graft.testing.TestServer.APP;
import static graft.testing.TestServer.BOB;
import static graft.testing.TestServer.SECRET;
import static graft.testing.TestServer.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * azure-identity refuses plain http, so this is the path a real application takes: ClientSecretCredential against
 * Graft's token endpoint over HTTPS (only authorityHost changed), then the Graph SDK over HTTPS with that credential.
 */
class AzureIdentityHttpsTest {
    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** A trust manager that trusts exactly the certificate Graft generated into its data dir. */
    private static X509TrustManager trustingServerCertificate() throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(server.certificate())) {
            store.setCertificateEntry("graft", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    @Test
    void clientSecretCredentialGetsATokenOverHttpsAndTheSdkSendsMailWithIt() throws Exception {
        X509TrustManager trust = trustingServerCertificate();
        SslContext netty = SslContextBuilder.forClient().trustManager(trust).build();
        reactor.netty.http.client.HttpClient reactorClient = reactor.netty.http.client.HttpClient.create()
                .secure(spec -> spec.sslContext(netty));
        ClientSecretCredential credential = new ClientSecretCredentialBuilder()
                .authorityHost(server.httpsBase())
                .tenantId(TENANT)
                .clientId(APP)
                .clientSecret(SECRET)
                .disableInstanceDiscovery()
                .httpClient(new NettyAsyncHttpClientBuilder(reactorClient).build())
                .build();

        AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(GRAPH_SCOPE));
        assertThat(token.getToken()).isNotBlank();
        assertThat(token.getExpiresAt()).isAfter(java.time.OffsetDateTime.now());

        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
        OkHttpClient okHttp = GraphClientFactory.create().sslSocketFactory(tls.getSocketFactory(), trust).build();
        // Without allowed hosts the SDK only sends the token to Graph's own hosts.
        var auth = new AzureIdentityAuthenticationProvider(credential, new String[] {"localhost"}, GRAPH_SCOPE);
        GraphServiceClient graph = new GraphServiceClient(auth, okHttp);
        graph.getRequestAdapter().setBaseUrl(server.httpsBase() + "/v1.0");

        String subject = TestMail.unique("Over TLS");
        SendMailPostRequestBody body = new SendMailPostRequestBody();
        body.setMessage(TestMail.message(subject, BOB));
        body.setSaveToSentItems(true);
        graph.users().byUserId(ALICE).sendMail().post(body);

        List<Message> received = graph.users().byUserId(BOB).mailFolders().byMailFolderId("inbox").messages()
                .get(r -> r.queryParameters.filter = "subject eq '" + subject + "'").getValue();
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().getFrom().getEmailAddress().getAddress()).isEqualTo(ALICE);
        assertThat(graph.users().byUserId(ALICE).mailFolders().byMailFolderId("sentitems").messages()
                .get(r -> r.queryParameters.filter = "subject eq '" + subject + "'").getValue()).hasSize(1);
    }
}
