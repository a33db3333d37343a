package graft.delivery;

import graft.config.DeliveryConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** TLS towards the smarthost: which certificates it may present, and the handshake on a socket. */
final class RelayTls {
    private final SSLContext context;
    private final boolean verifyHostName;

    RelayTls(DeliveryConfig.Trust trust) {
        try {
            if (trust.all()) {
                context = context(new TrustManager[]{new TrustAll()});
                verifyHostName = false;
            } else if (trust.certificate().isPresent()) {
                // A pinned certificate is the identity: it is trusted whatever name it carries.
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(trust.certificate().get())) {
                    int i = 0;
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("pinned-" + i++, c);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                context = context(tmf.getTrustManagers());
                verifyHostName = false;
            } else {
                context = SSLContext.getDefault();
                verifyHostName = true;
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the relay: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(TrustManager[] managers) throws GeneralSecurityException {
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, managers, null);
        return c;
    }

    /** Wraps a connected socket (implicit TLS, or after STARTTLS) and completes the handshake. */
    SSLSocket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        if (verifyHostName) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 6125 name checks, as for HTTPS
            s.setSSLParameters(p);
        }
        s.setUseClientMode(true);
        s.startHandshake();
        return s;
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
