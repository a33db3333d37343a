package graft.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import graft.config.TenantConfig.ApplicationConfig;
import graft.config.TenantConfig.UserConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the YAML configuration and validates it completely before anything starts. */
public final class ConfigLoader {
    private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+");
    private static final Pattern UPN = Pattern.compile("(?i)[a-z0-9._%+'-]+@([a-z0-9.-]+)");

    private ConfigLoader() {
    }

    public static GraftConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(file + ": is empty");
        }
        return parse(new YamlNode(root, ""), file.toAbsolutePath().getParent());
    }

    static GraftConfig parse(YamlNode root, Path baseDir) {
        root.allowOnly(Set.of("http", "dataDir", "store", "delivery", "admin", "tenants", "mail"));
        HttpConfig http = root.has("http") ? http(root.child("http"), baseDir)
                : new HttpConfig("0.0.0.0", HttpConfig.DEFAULT_PORT, Optional.empty(), Optional.empty());
        Path dataDir = baseDir.resolve(root.optionalText("dataDir").orElse("./data")).normalize();
        List<TenantConfig> tenants = root.list("tenants", ConfigLoader::tenant);
        if (tenants.isEmpty()) {
            throw new ConfigException("tenants: at least one tenant is required");
        }
        checkUnique(tenants.stream().map(t -> t.id().toString()).toList(), "tenants[%d].id", "tenant id");
        checkUnique(tenants.stream().map(t -> t.domain().toLowerCase(Locale.ROOT)).toList(), "tenants[%d].domain", "domain");
        StoreConfig store = root.has("store") ? store(root.child("store")) : StoreConfig.SQLITE;
        DeliveryConfig delivery = root.has("delivery") ? delivery(root.child("delivery")) : DeliveryConfig.DEFAULT;
        AdminConfig admin = AdminConfig.DISABLED;
        if (root.has("admin")) {
            YamlNode a = root.child("admin");
            a.allowOnly(Set.of("token"));
            admin = new AdminConfig(Optional.of(a.requireText("token")));
        }
        MailConfig mail = MailConfig.DEFAULT;
        if (root.has("mail")) {
            YamlNode m = root.child("mail");
            m.allowOnly(Set.of("maxMessageSizeMB", "uploadSessionLifetime"));
            mail = new MailConfig(m.optionalInt("maxMessageSizeMB", 1, 150).orElse(35) * MailConfig.MB,
                    m.optionalDuration("uploadSessionLifetime").orElse(MailConfig.DEFAULT_UPLOAD_SESSION_LIFETIME));
        }
        return new GraftConfig(http, dataDir, store, delivery, admin, tenants, mail);
    }

    private static StoreConfig store(YamlNode node) {
        node.allowOnly(Set.of("url", "user", "password", "poolSize"));
        String url = node.requireText("url");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new ConfigException(node.child("url").path() + ": must be a jdbc:postgresql:// URL (leave store out for the embedded SQLite), got '" + url + "'");
        }
        int pool = node.optionalInt("poolSize", 1, 1000).orElse(16);
        return new StoreConfig(Optional.of(url), node.optionalText("user").orElse(null), node.optionalText("password").orElse(null), pool);
    }

    private static DeliveryConfig delivery(YamlNode node) {
        node.allowOnly(Set.of("relay", "retry", "workers", "claimLease", "traceRetention"));
        Optional<DeliveryConfig.Relay> relay = Optional.empty();
        if (node.has("relay")) {
            YamlNode r = node.child("relay");
            r.allowOnly(Set.of("host", "port", "tls", "username", "password", "trustAll", "trustCertificate", "allowPlaintextAuth"));
            String tlsText = r.optionalText("tls").orElse("none");
            DeliveryConfig.Tls tls;
            try {
                tls = DeliveryConfig.Tls.valueOf(tlsText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(r.child("tls").path() + ": must be none, starttls or implicit, got '" + tlsText + "'");
            }
            int defaultPort = tls == DeliveryConfig.Tls.IMPLICIT ? 465 : 25;
            Optional<String> user = r.optionalText("username");
            Optional<String> password = r.optionalText("password");
            if (user.isPresent() != password.isPresent()) {
                throw new ConfigException(r.path() + ": username and password go together");
            }
            String host = r.requireText("host");
            boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
            if (user.isPresent() && tls == DeliveryConfig.Tls.NONE && !loopback && !r.optionalBoolean("allowPlaintextAuth").orElse(false)) {
                throw new ConfigException(r.child("username").path() + ": with tls: none the password would cross the network in clear"
                        + " text; use tls: starttls or implicit (or set allowPlaintextAuth: true if that is really meant)");
            }
            boolean trustAll = r.optionalBoolean("trustAll").orElse(false);
            Optional<Path> pinned = r.optionalText("trustCertificate").map(Path::of);
            if (pinned.isPresent() && !Files.isReadable(pinned.get())) {
                throw new ConfigException(r.child("trustCertificate").path() + ": cannot read '" + pinned.get() + "'");
            }
            relay = Optional.of(new DeliveryConfig.Relay(host, r.optionalPort("port").orElse(defaultPort), tls, user, password,
                    new DeliveryConfig.Trust(trustAll, pinned)));
        }
        DeliveryConfig.Retry retry = DeliveryConfig.DEFAULT_RETRY;
        if (node.has("retry")) {
            YamlNode r = node.child("retry");
            r.allowOnly(Set.of("initialDelay", "maxDelay", "lifetime"));
            retry = new DeliveryConfig.Retry(r.optionalDuration("initialDelay").orElse(retry.initialDelay()),
                    r.optionalDuration("maxDelay").orElse(retry.maxDelay()), r.optionalDuration("lifetime").orElse(retry.lifetime()));
            if (retry.maxDelay().compareTo(retry.initialDelay()) < 0) {
                throw new ConfigException(r.child("maxDelay").path() + ": must not be shorter than initialDelay");
            }
        }
        int workers = node.optionalInt("workers", 1, 256).orElse(DeliveryConfig.DEFAULT.workers());
        Duration lease = node.optionalDuration("claimLease").orElse(DeliveryConfig.DEFAULT_CLAIM_LEASE);
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigException(node.child("claimLease").path() + ": must be at least PT1S, got " + lease);
        }
        Duration retention = node.optionalDuration("traceRetention").orElse(DeliveryConfig.DEFAULT_TRACE_RETENTION);
        return new DeliveryConfig(relay, retry, workers, lease, retention);
    }

    private static HttpConfig http(YamlNode node, Path baseDir) {
        node.allowOnly(Set.of("host", "port", "httpsPort", "tls"));
        Optional<HttpConfig.TlsFiles> tls = Optional.empty();
        if (node.has("tls")) {
            YamlNode t = node.child("tls");
            t.allowOnly(Set.of("certificate", "privateKey"));
            tls = Optional.of(new HttpConfig.TlsFiles(
                    existingFile(t, "certificate", baseDir), existingFile(t, "privateKey", baseDir)));
        }
        return new HttpConfig(node.optionalText("host").orElse("0.0.0.0"),
                node.optionalPort("port").orElse(HttpConfig.DEFAULT_PORT), node.optionalPort("httpsPort"), tls);
    }

    private static Path existingFile(YamlNode node, String key, Path baseDir) {
        Path p = baseDir.resolve(node.requireText(key));
        if (!Files.isReadable(p)) {
            throw new ConfigException(node.child(key).path() + ": file not found or not readable: " + p);
        }
        return p;
    }

    private static TenantConfig tenant(YamlNode node) {
        node.allowOnly(Set.of("id", "domain", "users", "applications", "outbound", "relayDomains"));
        String domain = node.requireText("domain");
        if (!DOMAIN.matcher(domain).matches()) {
            throw new ConfigException(node.child("domain").path() + ": not a domain name: '" + domain + "'");
        }
        List<UserConfig> users = node.list("users", u -> user(u, domain));
        checkUnique(users.stream().map(u -> u.userPrincipalName().toLowerCase(Locale.ROOT)).toList(),
                node.child("users").path() + "[%d].userPrincipalName", "user");
        List<ApplicationConfig> apps = node.list("applications", ConfigLoader::application);
        checkUnique(apps.stream().map(a -> a.clientId().toString()).toList(),
                node.child("applications").path() + "[%d].clientId", "application");
        String outboundText = node.optionalText("outbound").orElse("capture");
        TenantConfig.Outbound outbound;
        try {
            outbound = TenantConfig.Outbound.valueOf(outboundText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(node.child("outbound").path() + ": must be capture or relay, got '" + outboundText + "'");
        }
        List<String> relayDomains = node.textList("relayDomains").stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < relayDomains.size(); i++) {
            if (!DOMAIN.matcher(relayDomains.get(i)).matches()) {
                throw new ConfigException(node.child("relayDomains").path() + "[" + i + "]: not a domain name: '" + relayDomains.get(i) + "'");
            }
        }
        return new TenantConfig(node.requireGuid("id"), domain.toLowerCase(Locale.ROOT), users, apps, outbound, relayDomains);
    }

    private static UserConfig user(YamlNode node, String domain) {
        node.allowOnly(Set.of("userPrincipalName", "displayName", "password"));
        String upn = node.requireText("userPrincipalName");
        var m = UPN.matcher(upn);
        if (!m.matches()) {
            throw new ConfigException(node.child("userPrincipalName").path() + ": not an address like alice@" + domain + ": '" + upn + "'");
        }
        if (!m.group(1).equalsIgnoreCase(domain)) {
            throw new ConfigException(node.child("userPrincipalName").path() + ": '" + upn + "' is not in the tenant's domain " + domain);
        }
        return new UserConfig(upn.toLowerCase(Locale.ROOT), node.optionalText("displayName").orElse(upn.substring(0, upn.indexOf('@'))),
                node.optionalText("password").orElse(null));
    }

    private static ApplicationConfig application(YamlNode node) {
        node.allowOnly(Set.of("clientId", "displayName", "clientSecret", "roles", "scopes"));
        return new ApplicationConfig(node.requireGuid("clientId"), node.optionalText("displayName").orElse("Application"),
                node.requireText("clientSecret"), node.textList("roles"), node.textList("scopes"));
    }

    private static void checkUnique(List<String> values, String pathFormat, String what) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!seen.add(values.get(i))) {
                throw new ConfigException(String.format(pathFormat, i) + ": duplicate " + what + " '" + values.get(i) + "'");
            }
        }
    }
}
