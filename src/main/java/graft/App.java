package graft;

import graft.config.GraftConfig;
import graft.delivery.AdminRoutes;
import graft.delivery.Delivery;
import graft.http.HttpServer;
import graft.http.TlsMaterial;
import graft.identity.Directory;
import graft.identity.IdentityEndpoints;
import graft.identity.SigningKeys;
import graft.identity.TokenVerifier;
import graft.identity.Tokens;
import graft.mail.Attachments;
import graft.mail.Folders;
import graft.mail.MailRoutes;
import graft.mail.Messages;
import graft.mail.Moves;
import graft.mail.Replies;
import graft.mail.Sending;
import graft.mail.UploadRoutes;
import graft.mail.UploadSessions;
import graft.store.Database;
import graft.store.Databases;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Wires one Graft node together, once, by constructor; {@link #close()} stops it. */
public final class App implements AutoCloseable {
    private final GraftConfig config;
    private final Database db;
    private final HttpServer server;
    private final TlsMaterial tls;
    private final Delivery delivery;

    private App(GraftConfig config, Database db, HttpServer server, TlsMaterial tls, Delivery delivery) {
        this.config = config;
        this.db = db;
        this.server = server;
        this.tls = tls;
        this.delivery = delivery;
    }

    public static App start(GraftConfig config) throws Exception {
        Files.createDirectories(config.dataDir());
        Clock clock = Clock.systemUTC();
        Database db = Databases.open(config);
        Delivery delivery = new Delivery(db, config, clock);
        try {
            Directory directory = new Directory(config.tenants());
            SigningKeys keys = SigningKeys.loadOrCreateInBackground(db);
            Tokens tokens = new Tokens(keys, clock);
            TokenVerifier verifier = new TokenVerifier(keys, directory, clock);

            Folders folders = new Folders(db);
            folders.provision(directory.tenants().stream().flatMap(t -> t.users().stream()).toList());
            long maxMessageSize = config.mail().maxMessageSize();
            Messages messages = new Messages(db, clock, maxMessageSize);
            Sending sending = new Sending(db, messages, clock, delivery::wake);
            UploadSessions uploads = new UploadSessions(db, clock, maxMessageSize, config.mail().uploadSessionLifetime());

            var http = config.http();
            TlsMaterial tls = http.httpsPort().isPresent()
                    ? TlsMaterial.loadOrCreate(config.dataDir(), http.tls().map(t -> t.certificate()), http.tls().map(t -> t.privateKey()))
                    : null;
            MailRoutes mail = new MailRoutes(verifier, messages, sending, folders, new Replies(db, messages, sending),
                    new Attachments(db, clock, maxMessageSize), uploads, new Moves(db, clock));
            HttpServer server = new HttpServer(http.host(), http.port(), http.httpsPort(), tls,
                    List.of(new AdminRoutes(delivery, config.admin(), clock), new IdentityEndpoints(directory, keys, tokens, clock),
                            mail, new UploadRoutes(uploads)),
                    diagnostic());
            server.start();
            keys.awaitReady();
            delivery.start();
            return new App(config, db, server, tls, delivery);
        } catch (Exception | Error e) {
            delivery.close();
            db.close();
            throw e;
        }
    }

    /** Graph's x-ms-ags-diagnostic header, naming this node instead of a data center. */
    private static String diagnostic() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "graft";
        }
        return "{\"ServerInfo\":{\"DataCenter\":\"Graft\",\"Slice\":\"E\",\"Ring\":\"1\",\"ScaleUnit\":\"000\",\"RoleInstance\":\""
                + host.replaceAll("[^A-Za-z0-9.-]", "") + "\"}}";
    }

    public GraftConfig config() {
        return config;
    }

    public int httpPort() {
        return server.httpPort();
    }

    public Optional<Integer> httpsPort() {
        return server.httpsPort();
    }

    public Optional<Path> certificatePath() {
        return Optional.ofNullable(tls).map(TlsMaterial::certificatePath);
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            try {
                delivery.close();
            } finally {
                db.close();
            }
        }
    }
}
