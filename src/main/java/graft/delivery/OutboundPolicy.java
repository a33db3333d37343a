package graft.delivery;

import graft.config.TenantConfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What may leave each tenant: {@code capture} keeps every external message in the trace, {@code relay} sends it
 * to the smarthost, or only to {@code relayDomains} (and their subdomains) when that list is given.
 */
final class OutboundPolicy {
    enum Route {
        /** Hand to the smarthost. */
        RELAY,
        /** Never leaves; traced as captured. */
        CAPTURE,
        /** Meant for the relay, but none is configured: kept queued until one is. */
        HOLD
    }

    private final Map<UUID, TenantConfig> tenants;
    private final boolean relayConfigured;

    OutboundPolicy(List<TenantConfig> tenants, boolean relayConfigured) {
        this.tenants = tenants.stream().collect(Collectors.toUnmodifiableMap(TenantConfig::id, Function.identity()));
        this.relayConfigured = relayConfigured;
    }

    Route route(UUID tenantId, String recipient) {
        TenantConfig t = tenants.get(tenantId);
        // A tenant no longer configured sends nothing: capture is the safe default.
        if (t == null || t.outbound() == TenantConfig.Outbound.CAPTURE || !allowed(t.relayDomains(), recipient)) {
            return Route.CAPTURE;
        }
        return relayConfigured ? Route.RELAY : Route.HOLD;
    }

    private static boolean allowed(List<String> domains, String recipient) {
        if (domains.isEmpty()) {
            return true;
        }
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        for (String d : domains) {
            if (domain.equals(d) || domain.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    /** The trace reply of a captured entry, naming the reason. */
    String captureReply(UUID tenantId) {
        TenantConfig t = tenants.get(tenantId);
        if (t == null) {
            return "captured: tenant " + tenantId + " is no longer configured";
        }
        return t.outbound() == TenantConfig.Outbound.CAPTURE
                ? "captured: outbound policy of " + t.domain() + " is capture"
                : "captured: domain not in relayDomains of " + t.domain();
    }
}
