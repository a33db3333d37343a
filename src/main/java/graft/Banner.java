package graft;

import graft.config.TenantConfig;

/** What {@code graft serve} prints once it listens: where, and how to send a first mail with curl. */
final class Banner {
    private Banner() {
    }

    static String text(App app, boolean demo, long startupMillis) {
        String base = "http://localhost:" + app.httpPort();
        StringBuilder out = new StringBuilder();
        out.append("Graft is listening on ").append(base).append(" (Graph API at ").append(base).append("/v1.0)");
        app.httpsPort().ifPresent(p -> out.append(" and https://localhost:").append(p));
        out.append("; started in ").append(startupMillis).append(" ms\n");
        out.append("Data: ").append(app.config().dataDir().toAbsolutePath()).append('\n');
        app.certificatePath().ifPresent(c -> out.append("HTTPS certificate (trust it in your client): ").append(c.toAbsolutePath()).append('\n'));
        TenantConfig tenant = app.config().tenants().getFirst();
        if (tenant.applications().isEmpty() || tenant.users().isEmpty()) {
            return out.toString();
        }
        TenantConfig.ApplicationConfig a = tenant.applications().getFirst();
        String from = tenant.users().getFirst().userPrincipalName();
        String to = tenant.users().size() > 1 ? tenant.users().get(1).userPrincipalName() : from;
        out.append(demo ? "\nDemo tenant " + tenant.domain() + " (" + tenant.id() + "), users: " : "\nTenant " + tenant.domain() + ", users: ");
        out.append(String.join(", ", tenant.users().stream().map(TenantConfig.UserConfig::userPrincipalName).toList())).append('\n');
        out.append("\nGet a token and send a first mail:\n\n");
        out.append("  TOKEN=$(curl -s ").append(base).append('/').append(tenant.id()).append("/oauth2/v2.0/token \\\n")
                .append("    -d grant_type=client_credentials -d client_id=").append(a.clientId())
                .append(" -d client_secret=").append(demo ? a.clientSecret() : "<client secret>").append(" \\\n")
                .append("    --data-urlencode scope=https://graph.microsoft.com/.default | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n\n");
        out.append("  curl -i ").append(base).append("/v1.0/users/").append(from).append("/sendMail \\\n")
                .append("    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\\n")
                .append("    -d '{\"message\":{\"subject\":\"Hello from Graft\",\"body\":{\"contentType\":\"Text\",\"content\":\"It works.\"},")
                .append("\"toRecipients\":[{\"emailAddress\":{\"address\":\"").append(to).append("\"}}]}}'\n\n");
        out.append("  curl -s ").append(base).append("/v1.0/users/").append(to)
                .append("/mailFolders/inbox/messages -H \"Authorization: Bearer $TOKEN\"\n");
        if (app.config().admin().token().isPresent()) {
            out.append("\nMail to other domains is ").append(tenant.outbound() == TenantConfig.Outbound.RELAY ? "relayed" : "captured")
                    .append(" (see the README's Delivery section); follow it with: ./graft trace")
                    .append(demo ? "\n" : " --url " + base + " --token <admin.token>\n");
        }
        return out.toString();
    }
}
