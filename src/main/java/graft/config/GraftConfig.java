package graft.config;

import java.nio.file.Path;
import java.util.List;

/** The whole, validated configuration of one Graft node. */
public record GraftConfig(HttpConfig http, Path dataDir, StoreConfig store, DeliveryConfig delivery, AdminConfig admin,
                          List<TenantConfig> tenants) {
    public GraftConfig {
        tenants = List.copyOf(tenants);
    }

    public GraftConfig withHttp(HttpConfig newHttp) {
        return new GraftConfig(newHttp, dataDir, store, delivery, admin, tenants);
    }

    public GraftConfig withDataDir(Path newDataDir) {
        return new GraftConfig(http, newDataDir, store, delivery, admin, tenants);
    }
}
