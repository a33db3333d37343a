package graft.config;

import graft.config.TenantConfig.ApplicationConfig;
import graft.config.TenantConfig.UserConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What {@code graft serve} runs without a configuration file: one demo tenant, two users, one application. */
public final class DemoConfig {
    public static final UUID TENANT_ID = UUID.fromString("6f1c2d3e-0000-4000-8000-000000000001");
    public static final UUID CLIENT_ID = UUID.fromString("2b9e1a4c-0000-4000-8000-00000000000a");
    public static final String CLIENT_SECRET = "demo-secret";
    public static final String ADMIN_TOKEN = "demo-admin-token";

    private DemoConfig() {
    }

    public static GraftConfig create(Path dataDir) {
        var tenant = new TenantConfig(TENANT_ID, "contoso.test",
                List.of(new UserConfig("alice@contoso.test", "Alice Adams", "alice-pw"),
                        new UserConfig("bob@contoso.test", "Bob Brown", "bob-pw")),
                List.of(new ApplicationConfig(CLIENT_ID, "Graft demo app", CLIENT_SECRET,
                        List.of("Mail.Send", "Mail.ReadWrite", "User.Read.All"),
                        List.of("Mail.Send", "Mail.ReadWrite", "Mail.Read", "User.Read"))),
                TenantConfig.Outbound.CAPTURE, List.of());
        // The demo's credentials are public: it listens on this machine only.
        return new GraftConfig(new HttpConfig("127.0.0.1", HttpConfig.DEFAULT_PORT, Optional.of(HttpConfig.DEFAULT_HTTPS_PORT), Optional.empty()),
                dataDir, StoreConfig.SQLITE, DeliveryConfig.DEFAULT, new AdminConfig(Optional.of(ADMIN_TOKEN)), List.of(tenant));
    }
}
