package graft.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Listeners. {@code port} 0 picks a free port; {@code httpsPort} absent means no HTTPS listener, 0 picks a free port.
 * Without a configured certificate a self-signed one is generated into the data dir.
 */
public record HttpConfig(String host, int port, Optional<Integer> httpsPort, Optional<TlsFiles> tls) {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_HTTPS_PORT = 8443;

    /** A PEM certificate (chain) and its PEM private key. */
    public record TlsFiles(Path certificate, Path privateKey) {
    }
}
