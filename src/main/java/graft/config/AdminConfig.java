package graft.config;

import java.util.Optional;

/** The admin API (outside /v1.0) is reachable only with this bearer token; absent = admin API disabled. */
public record AdminConfig(Optional<String> token) {
    public static final AdminConfig DISABLED = new AdminConfig(Optional.empty());

    @Override
    public String toString() {
        return token.isPresent() ? "AdminConfig[enabled]" : "AdminConfig[disabled]"; // never the token
    }
}
