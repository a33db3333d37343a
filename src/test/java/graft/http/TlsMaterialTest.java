package graft.http;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsMaterialTest {
    @TempDir
    Path temp;

    @Test
    void generatesSelfSignedPairWithLocalNames() throws Exception {
        Path dataDir = temp.resolve("data");

        TlsMaterial tls = TlsMaterial.loadOrCreate(dataDir, Optional.empty(), Optional.empty());

        Path cert = dataDir.resolve("tls/graft-cert.pem");
        Path key = dataDir.resolve("tls/graft-key.pem");
        assertThat(tls.generated()).isTrue();
        assertThat(tls.certificatePath()).isEqualTo(cert);
        assertThat(cert).isRegularFile();
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        try (var files = Files.list(dataDir.resolve("tls"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        X509Certificate certificate = tls.certificate();
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=Graft local");
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(825));
        List<String> sans = certificate.getSubjectAlternativeNames().stream().map(entry -> String.valueOf(entry.get(1))).toList();
        assertThat(sans).contains("localhost", "127.0.0.1");

        assertThat(tls.keyStore().isKeyEntry("graft")).isTrue();
        assertThat(tls.keyStore().getKey("graft", tls.keyStorePassword())).isNotNull();
    }

    @Test
    void secondStartReusesTheFiles() throws Exception {
        TlsMaterial first = TlsMaterial.loadOrCreate(temp, Optional.empty(), Optional.empty());
        TlsMaterial second = TlsMaterial.loadOrCreate(temp, Optional.empty(), Optional.empty());

        assertThat(second.generated()).isFalse();
        assertThat(second.certificate().getSerialNumber()).isEqualTo(first.certificate().getSerialNumber());
        assertThat(second.certificate().getEncoded()).isEqualTo(first.certificate().getEncoded());
    }

    @Test
    void incompletePairInTheDataDirIsReplaced() throws Exception {
        TlsMaterial first = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        Files.delete(first.certificatePath());

        TlsMaterial second = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        assertThat(second.generated()).isTrue();

        TlsMaterial other = TlsMaterial.loadOrCreate(temp.resolve("b"), Optional.empty(), Optional.empty());
        Files.copy(temp.resolve("b/tls/graft-key.pem"), temp.resolve("a/tls/graft-key.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        TlsMaterial third = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        assertThat(third.generated()).isTrue();
        assertThat(third.certificate()).isNotEqualTo(second.certificate()).isNotEqualTo(other.certificate());
    }

    @Test
    void simultaneousStartsAgreeOnOnePair() throws Exception {
        Callable<TlsMaterial> start = () -> TlsMaterial.loadOrCreate(temp, Optional.empty(), Optional.empty());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TlsMaterial>> results = pool.invokeAll(List.of(start, start, start, start));
            List<TlsMaterial> all = results.stream().map(TlsMaterialTest::get).toList();

            assertThat(all).filteredOn(TlsMaterial::generated).hasSize(1);
            byte[] expected = TlsMaterial.loadOrCreate(temp, Optional.empty(), Optional.empty()).certificate().getEncoded();
            for (TlsMaterial tls : all) {
                assertThat(tls.certificate().getEncoded()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loadsConfiguredFiles() throws Exception {
        TlsMaterial generated = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        Path cert = Files.copy(generated.certificatePath(), temp.resolve("server.crt"));
        Path key = Files.copy(temp.resolve("a/tls/graft-key.pem"), temp.resolve("server.key"));
        Path otherDataDir = temp.resolve("b");

        TlsMaterial tls = TlsMaterial.loadOrCreate(otherDataDir, Optional.of(cert), Optional.of(key));

        assertThat(tls.generated()).isFalse();
        assertThat(tls.certificatePath()).isEqualTo(cert);
        assertThat(tls.certificate().getEncoded()).isEqualTo(generated.certificate().getEncoded());
        assertThat(otherDataDir.resolve("tls")).doesNotExist();
    }

    @Test
    void loadsPkcs1RsaKey() throws Exception {
        TlsMaterial generated = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        PrivateKey privateKey = (PrivateKey) generated.keyStore().getKey("graft", generated.keyStorePassword());
        Path key = writePem(temp.resolve("rsa.key"), privateKey);
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        TlsMaterial tls = TlsMaterial.loadOrCreate(temp, Optional.of(generated.certificatePath()), Optional.of(key));

        assertThat(tls.certificate()).isEqualTo(generated.certificate());
    }

    @Test
    void loadsEcKeyAndCertificateChain() throws Exception {
        KeyPair caPair = keyPair("RSA", 2048);
        X509Certificate ca = certificate("CN=test CA", caPair, "CN=test CA", caPair.getPublic(), "SHA256withRSA");
        KeyPair leafPair = keyPair("EC", 256);
        X509Certificate leaf = certificate("CN=test CA", caPair, "CN=localhost", leafPair.getPublic(), "SHA256withRSA");
        Path chain = writePem(temp.resolve("chain.pem"), leaf, ca);
        Path key = writeSec1EcKey(temp.resolve("ec.key"), leafPair);

        TlsMaterial tls = TlsMaterial.loadOrCreate(temp, Optional.of(chain), Optional.of(key));

        assertThat(tls.certificate()).isEqualTo(leaf);
        assertThat(tls.keyStore().getCertificateChain("graft")).containsExactly(leaf, ca);

        Path reversed = writePem(temp.resolve("reversed.pem"), ca, leaf);
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(reversed), Optional.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reversed.toString())
                .hasMessageContaining("must come first");
        X509Certificate stranger = certificate("CN=stranger", caPair, "CN=stranger", caPair.getPublic(), "SHA256withRSA");
        Path broken = writePem(temp.resolve("broken-chain.pem"), leaf, stranger);
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(broken), Optional.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining("invalid chain");
    }

    @Test
    void garbageCertificateIsRejectedNamingTheFile() throws Exception {
        TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        Path key = temp.resolve("a/tls/graft-key.pem");
        Path cert = Files.writeString(temp.resolve("garbage.crt"), "this is not a certificate\n");

        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(cert), Optional.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(cert.toString())
                .hasMessageContaining("no CERTIFICATE");
    }

    @Test
    void corruptPemBlockIsRejectedNamingTheFile() throws Exception {
        TlsMaterial generated = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        Path key = Files.writeString(temp.resolve("broken.key"),
                "-----BEGIN PRIVATE KEY-----\n!!!not base64!!!\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(generated.certificatePath()), Optional.of(key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(key.toString());
    }

    @Test
    void missingOrMismatchedKeyIsRejected() throws Exception {
        TlsMaterial a = TlsMaterial.loadOrCreate(temp.resolve("a"), Optional.empty(), Optional.empty());
        TlsMaterial.loadOrCreate(temp.resolve("b"), Optional.empty(), Optional.empty());
        Path otherKey = temp.resolve("b/tls/graft-key.pem");
        Path missing = temp.resolve("nope.key");

        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(a.certificatePath()), Optional.of(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(a.certificatePath()), Optional.of(otherKey)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(otherKey.toString())
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> TlsMaterial.loadOrCreate(temp, Optional.of(a.certificatePath()), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("together");
    }

    @Test
    void jettyServesHttpsThatTrustsOnlyTheCertificate() throws Exception {
        TlsMaterial tls = TlsMaterial.loadOrCreate(temp, Optional.empty(), Optional.empty());

        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        TlsMaterial.relaxSni(customizer);
        config.addCustomizer(customizer);
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(tls.sslContextFactory(), HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        try {
            server.start();
            int port = connector.getLocalPort();

            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("graft", tls.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);

            try (HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                for (String host : List.of("127.0.0.1", "localhost")) {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/")).build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                    assertThat(response.statusCode()).as(host).isEqualTo(200);
                    assertThat(response.body()).as(host).isEqualTo("ok");
                }
            }
        } finally {
            server.stop();
        }
    }

    private static TlsMaterial get(Future<TlsMaterial> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair keyPair(String algorithm, int size) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(size);
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String issuer, KeyPair issuerPair, String subject, PublicKey subjectKey,
                                               String signatureAlgorithm) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(System.nanoTime()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), subjectKey);
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(issuerPair.getPrivate())));
    }

    /** What {@code openssl ecparam -genkey} writes: an EC PARAMETERS block, then a SEC1 EC PRIVATE KEY. */
    private static Path writeSec1EcKey(Path file, KeyPair pair) throws Exception {
        SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        ASN1Encodable curve = publicInfo.getAlgorithm().getParameters();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) pair.getPrivate()).getS(),
                publicInfo.getPublicKeyData(), curve);
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded()));
            writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return Files.writeString(file, text.toString());
    }

    private static Path writePem(Path file, Object... objects) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        return Files.writeString(file, text.toString());
    }
}
