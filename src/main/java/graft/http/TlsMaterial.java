package graft.http;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTPS listener's certificate and key: configured PEM files, or a self-signed pair kept in
 * {@code <dataDir>/tls} and generated on first start.
 */
public final class TlsMaterial {
    private static final Logger log = LoggerFactory.getLogger(TlsMaterial.class);

    public static final String KEY_ALIAS = "graft";
    static final String TLS_DIR = "tls";
    static final String CERT_FILE = "graft-cert.pem";
    static final String KEY_FILE = "graft-key.pem";
    private static final String LOCK_FILE = ".graft-tls.lock";
    private static final Duration VALIDITY = Duration.ofDays(825);
    // Tolerates clients whose clocks are a little behind.
    private static final Duration BACKDATE = Duration.ofHours(1);
    // FileChannel locks are per process; this keeps two nodes in one JVM from tripping over each other.
    private static final Object GENERATION_LOCK = new Object();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path certificatePath;
    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final boolean generated;
    private final char[] keyStorePassword;
    private final KeyStore keyStore;

    private TlsMaterial(Path certificatePath, List<X509Certificate> chain, PrivateKey privateKey, boolean generated) {
        this.certificatePath = certificatePath;
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.generated = generated;
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        this.keyStorePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
        this.keyStore = buildKeyStore();
    }

    /**
     * Loads the configured PEM files when both are given; otherwise loads, or generates on first use, the
     * self-signed pair under {@code dataDir/tls}.
     *
     * @throws IllegalArgumentException when a PEM file is missing, unreadable or not a usable certificate/key
     * @throws UncheckedIOException     when generated files cannot be written
     */
    public static TlsMaterial loadOrCreate(Path dataDir, Optional<Path> certificatePem, Optional<Path> privateKeyPem) {
        if (certificatePem.isPresent() != privateKeyPem.isPresent()) {
            throw new IllegalArgumentException("TLS certificate and private key must be configured together (got only the "
                    + (certificatePem.isPresent() ? "certificate " + certificatePem.get() : "private key " + privateKeyPem.get())
                    + ")");
        }
        if (certificatePem.isPresent()) {
            Path cert = certificatePem.get();
            List<X509Certificate> chain = readChain(cert);
            return new TlsMaterial(cert, chain, readMatchingKey(privateKeyPem.get(), cert, chain.getFirst()), false);
        }
        return loadOrGenerate(dataDir.resolve(TLS_DIR));
    }

    /** The PEM file a client should trust; for configured files, the configured path. */
    public Path certificatePath() {
        return certificatePath;
    }

    /** The server (leaf) certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** In-memory PKCS12 store holding the key and chain under {@value #KEY_ALIAS}. */
    public KeyStore keyStore() {
        return keyStore;
    }

    public char[] keyStorePassword() {
        return keyStorePassword.clone();
    }

    /** True when this call created the self-signed files. */
    public boolean generated() {
        return generated;
    }

    /** A fresh factory per call, since a factory is a lifecycle component owned by one connector. */
    public SslContextFactory.Server sslContextFactory() {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setKeyStore(keyStore);
        factory.setKeyStorePassword(new String(keyStorePassword));
        factory.setCertAlias(KEY_ALIAS);
        // Clients connecting by IP address send no SNI.
        factory.setSniRequired(false);
        return factory;
    }

    /**
     * Callers must apply this to their SecureRequestCustomizer, otherwise Jetty answers 400 "Invalid SNI" to
     * requests whose host is not a certificate name (e.g. a LAN address).
     */
    public static void relaxSni(SecureRequestCustomizer customizer) {
        customizer.setSniRequired(false);
        customizer.setSniHostCheck(false);
    }

    private KeyStore buildKeyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try {
                store.setKeyEntry(KEY_ALIAS, privateKey, keyStorePassword, chain.toArray(X509Certificate[]::new));
            } catch (KeyStoreException e) {
                // The key store insists that each certificate is issued by the next one.
                throw new IllegalArgumentException("TLS certificate file " + certificatePath + " has an invalid chain ("
                        + e.getMessage() + "); list the server certificate first, then its issuers", e);
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the in-memory TLS key store: " + e.getMessage(), e);
        }
    }

    // ---- data-dir pair ----

    private static TlsMaterial loadOrGenerate(Path dir) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        synchronized (GENERATION_LOCK) {
            FileChannel lock = lockDirectory(dir);
            try {
                boolean hasCert = Files.exists(cert);
                boolean hasKey = Files.exists(key);
                if (hasCert && hasKey) {
                    List<X509Certificate> chain = readChain(cert);
                    PrivateKey privateKey = readKey(key);
                    boolean expired = chain.getFirst().getNotAfter().before(new Date());
                    if (!expired && matches(privateKey, chain.getFirst().getPublicKey())) {
                        return new TlsMaterial(cert, chain, privateKey, false);
                    }
                    // A mismatch can only come from an unlocked race or a crash; the pair is ours to replace.
                    log.warn("Self-signed TLS pair {} is {}; generating a new one", cert,
                            expired ? "expired since " + chain.getFirst().getNotAfter().toInstant() : "mismatched");
                } else if (hasCert || hasKey) {
                    log.warn("Only one of {} and {} exists; generating a new pair", cert, key);
                }
                return generate(dir, cert, key);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot set up TLS files in " + dir + ": " + e.getMessage(), e);
            } finally {
                closeQuietly(lock);
            }
        }
    }

    /**
     * Guards against another process generating at the same time. Returns the locked channel (closing it releases
     * the lock), or null where the file system offers no locks.
     */
    private static FileChannel lockDirectory(Path dir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            return channel;
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            // Atomic moves still keep each file whole; a mismatched pair is regenerated on the next start.
            log.debug("No file lock for {}: {}", dir, e.toString());
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing to release.
            }
        }
    }

    private static TlsMaterial generate(Path dir, Path certPath, Path keyPath) throws IOException {
        KeyPair keyPair;
        X509Certificate certificate;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            keyPair = generator.generateKeyPair();
            certificate = selfSigned(keyPair);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate a self-signed TLS certificate: " + e.getMessage(), e);
        }
        Files.createDirectories(dir);
        // Delete the old cert first: a crash mid-way then leaves a missing cert (regenerated next start),
        // never a new key beside an old cert.
        Files.deleteIfExists(certPath);
        writeAtomically(keyPath, pem(new JcaPKCS8Generator(keyPair.getPrivate(), null)), true);
        writeAtomically(certPath, pem(certificate), false);
        log.info("Generated self-signed TLS certificate {} for {}", certPath, subjectAltNames(certificate));
        return new TlsMaterial(certPath, List.of(certificate), keyPair.getPrivate(), true);
    }

    private static X509Certificate selfSigned(KeyPair keyPair)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name name = new X500Name("CN=Graft local");
        Instant notBefore = Instant.now().minus(BACKDATE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(159, RANDOM).add(BigInteger.ONE),
                Date.from(notBefore), Date.from(notBefore.plus(VALIDITY)), name, keyPair.getPublic());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        // An end-entity cert: Java trust stores accept it as a trust anchor, and browsers reject CA certs as servers.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(keyPair.getPublic()));
        builder.addExtension(Extension.subjectAlternativeName, false, new DERSequence(sanEntries()));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static ASN1Encodable[] sanEntries() {
        Set<String> dnsNames = new LinkedHashSet<>();
        dnsNames.add("localhost");
        try {
            String host = InetAddress.getLocalHost().getHostName();
            // getHostName falls back to an address literal when the name does not resolve.
            if (host != null && host.matches("[A-Za-z0-9][A-Za-z0-9.-]*") && !host.matches("[0-9.]+")) {
                dnsNames.add(host.toLowerCase(Locale.ROOT));
            }
        } catch (IOException | RuntimeException e) {
            log.debug("Local hostname unavailable for the TLS certificate: {}", e.toString());
        }
        List<ASN1Encodable> names = new ArrayList<>();
        dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        return names.toArray(ASN1Encodable[]::new);
    }

    private static List<String> subjectAltNames(X509Certificate certificate) {
        List<String> out = new ArrayList<>();
        try {
            var sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                sans.forEach(entry -> out.add(String.valueOf(entry.get(1))));
            }
        } catch (CertificateException e) {
            // Only used for logging.
        }
        return out;
    }

    private static byte[] pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Temp file in the same directory, synced, then renamed over the target: readers see all or nothing. */
    private static void writeAtomically(Path target, byte[] content, boolean secret) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix && !secret) {
                Set<PosixFilePermission> readable = PosixFilePermissions.fromString("rw-r--r--");
                Files.setPosixFilePermissions(temp, readable);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // ---- PEM reading ----

    private static List<X509Certificate> readChain(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                // Other blocks (e.g. a key in a combined PEM) are ignored.
                if (object instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw badFile("TLS certificate", file, e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("TLS certificate file " + file + " contains no CERTIFICATE block");
        }
        return chain;
    }

    private static PrivateKey readMatchingKey(Path keyFile, Path certificateFile, X509Certificate certificate) {
        PrivateKey key = readKey(keyFile);
        if (!matches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("TLS private key " + keyFile + " does not belong to the first certificate in "
                    + certificateFile + " (" + certificate.getSubjectX500Principal().getName()
                    + "); the server certificate must come first");
        }
        return key;
    }

    private static PrivateKey readKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // Only the private part: SEC1 EC keys may omit the public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    throw new IllegalArgumentException("TLS private key file " + file + " is encrypted; an unencrypted key is required");
                }
                // Anything else, e.g. an "EC PARAMETERS" block before the key, is skipped.
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw badFile("TLS private key", file, e);
        }
        throw new IllegalArgumentException("TLS private key file " + file
                + " contains no PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true; // Unknown key type: let the TLS handshake be the judge.
        }
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static IllegalArgumentException badFile(String what, Path file, Exception cause) {
        String reason = switch (cause) {
            case java.nio.file.NoSuchFileException ignored -> "does not exist";
            case java.nio.file.AccessDeniedException ignored -> "is not readable (access denied)";
            case IOException io when Files.isDirectory(file) -> "is a directory";
            default -> "is not valid PEM: " + cause.getMessage();
        };
        return new IllegalArgumentException(what + " file " + file + " " + reason, cause);
    }
}
