package graft.config;

import java.nio.file.Path;
import java.util.List;

/** The whole, validated configuration of one Graft node. */
public record GraftConfig(HttpConfig http, Path dataDir, StoreConfig store, DeliveryConfig delivery, AdminConfig admin,
                          List<TenantConfig> tenants, MailConfig mail) {
    public GraftConfig {
        tenants = List.copyOf(tenants);
    }

    public GraftConfig(HttpConfig http, Path dataDir, StoreConfig store, DeliveryConfig delivery, AdminConfig admin,
                       List<TenantConfig> tenants) {
        this(http, dataDir, store, delivery, admin, tenants, MailConfig.DEFAULT);
    }

    public GraftConfig withHttp(HttpConfig newHttp) {
        return new GraftConfig(newHttp, dataDir, store, delivery, admin, tenants, mail);
    }

    public GraftConfig withDataDir(Path newDataDir) {
        return new GraftConfig(http, newDataDir, store, delivery, admin, tenants, mail);
    }
}
