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
        root.allowOnly(Set.of("http", "dataDir", "tenants"));
        HttpConfig http = root.has("http") ? http(root.child("http"), baseDir)
                : new HttpConfig("0.0.0.0", HttpConfig.DEFAULT_PORT, Optional.empty(), Optional.empty());
        Path dataDir = baseDir.resolve(root.optionalText("dataDir").orElse("./data")).normalize();
        List<TenantConfig> tenants = root.list("tenants", ConfigLoader::tenant);
        if (tenants.isEmpty()) {
            throw new ConfigException("tenants: at least one tenant is required");
        }
        checkUnique(tenants.stream().map(t -> t.id().toString()).toList(), "tenants[%d].id", "tenant id");
        checkUnique(tenants.stream().map(t -> t.domain().toLowerCase(Locale.ROOT)).toList(), "tenants[%d].domain", "domain");
        return new GraftConfig(http, dataDir, tenants);
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
        node.allowOnly(Set.of("id", "domain", "users", "applications"));
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
        return new TenantConfig(node.requireGuid("id"), domain.toLowerCase(Locale.ROOT), users, apps);
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
