package graft.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An invalid configuration stops start-up with a message that names the key to fix. */
class ConfigValidationTest {
    static final String TENANT_ID = "6f1c2d3e-0000-4000-8000-000000000001";
    static final String APP_ID = "2b9e1a4c-0000-4000-8000-00000000000a";

    @TempDir
    Path dir;

    private GraftConfig load(String yaml) throws IOException {
        Path file = dir.resolve("graft.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file);
    }

    private static String config(String tenantId, String users, String extraTenantKeys) {
        return """
                http: { port: 8080, httpsPort: 8443 }
                dataDir: ./data
                tenants:
                  - id: %s
                    domain: contoso.test
                %s    users:
                %s
                    applications:
                      - clientId: %s
                        clientSecret: app-secret
                        roles:  [Mail.Send, Mail.ReadWrite]
                        scopes: [Mail.Send, Mail.ReadWrite, Mail.Read]
                """.formatted(tenantId, extraTenantKeys, users, APP_ID);
    }

    private static final String ALICE = "      - { userPrincipalName: alice@contoso.test, displayName: Alice Adams, password: alice-pw }";

    @Test
    void theIssueExampleConfigurationLoads() throws IOException {
        GraftConfig cfg = load(config(TENANT_ID, ALICE, ""));
        assertThat(cfg.tenants()).hasSize(1);
        assertThat(cfg.tenants().getFirst().domain()).isEqualTo("contoso.test");
        assertThat(cfg.http().port()).isEqualTo(8080);
        assertThat(cfg.http().httpsPort()).contains(8443);
        assertThat(cfg.dataDir()).isEqualTo(dir.resolve("data").normalize());
    }

    @Test
    void missingKeyIsNamed() {
        String noDomain = config(TENANT_ID, ALICE, "").replace("    domain: contoso.test\n", "");
        assertThatThrownBy(() -> load(noDomain)).isInstanceOf(ConfigException.class).hasMessageContaining("domain");
        String noSecret = config(TENANT_ID, ALICE, "").replace("        clientSecret: app-secret\n", "");
        assertThatThrownBy(() -> load(noSecret)).isInstanceOf(ConfigException.class).hasMessageContaining("clientSecret");
        String noTenants = "http: { port: 8080 }\n";
        assertThatThrownBy(() -> load(noTenants)).isInstanceOf(ConfigException.class).hasMessageContaining("tenants");
    }

    @Test
    void badGuidIsNamed() {
        assertThatThrownBy(() -> load(config("not-a-guid", ALICE, ""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("id").hasMessageContaining("not-a-guid");
        String badClient = config(TENANT_ID, ALICE, "").replace(APP_ID, "12345");
        assertThatThrownBy(() -> load(badClient)).isInstanceOf(ConfigException.class).hasMessageContaining("clientId");
    }

    @Test
    void duplicateUserIsNamed() {
        String users = ALICE + "\n      - { userPrincipalName: Alice@contoso.test, password: other }";
        assertThatThrownBy(() -> load(config(TENANT_ID, users, ""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("userPrincipalName").hasMessageContainingAll("alice@contoso.test");
    }

    @Test
    void unknownKeyIsNamed() {
        assertThatThrownBy(() -> load(config(TENANT_ID, ALICE, "    colour: blue\n"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> load("htpp: { port: 8080 }\n" + config(TENANT_ID, ALICE, ""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("htpp");
    }

    @Test
    void badValuesAreNamed() {
        String badPort = config(TENANT_ID, ALICE, "").replace("port: 8080", "port: 99999");
        assertThatThrownBy(() -> load(badPort)).isInstanceOf(ConfigException.class).hasMessageContaining("port");
        String foreignUser = config(TENANT_ID, "      - { userPrincipalName: eve@elsewhere.test, password: x }", "");
        assertThatThrownBy(() -> load(foreignUser)).isInstanceOf(ConfigException.class).hasMessageContaining("userPrincipalName");
        assertThatThrownBy(() -> load("tenants: [ oops")).isInstanceOf(ConfigException.class);
    }
}
