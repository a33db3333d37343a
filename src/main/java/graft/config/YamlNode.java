package graft.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/** A node of the configuration tree that knows its own key path, so every error names the key to fix. */
final class YamlNode {
    private final JsonNode node;
    private final String path;

    YamlNode(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    boolean has(String key) {
        JsonNode child = node.get(key);
        return child != null && !child.isNull();
    }

    YamlNode child(String key) {
        return new YamlNode(node.get(key), path.isEmpty() ? key : path + "." + key);
    }

    Optional<Boolean> optionalBoolean(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode child = node.get(key);
        if (!child.isBoolean()) {
            throw new ConfigException(path() + "." + key + ": must be true or false");
        }
        return Optional.of(child.asBoolean());
    }

    /** Rejects keys this version does not know: a typo must not silently fall back to a default. */
    void allowOnly(Set<String> keys) {
        if (!node.isObject()) {
            throw new ConfigException(where() + "must be a mapping");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new ConfigException(child(key).path + ": unknown key (known here: " + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    String requireText(String key) {
        return optionalText(key).orElseThrow(() -> new ConfigException(child(key).path + ": required"));
    }

    Optional<String> optionalText(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode child = node.get(key);
        if (!child.isValueNode() || child.asText().isBlank()) {
            throw new ConfigException(child(key).path + ": must be a non-empty text");
        }
        return Optional.of(child.asText());
    }

    Optional<Integer> optionalPort(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode child = node.get(key);
        if (!child.canConvertToInt() || child.asInt() < 0 || child.asInt() > 65535 || !child.isIntegralNumber()) {
            throw new ConfigException(child(key).path + ": must be a port number from 0 to 65535, got '" + child.asText() + "'");
        }
        return Optional.of(child.asInt());
    }

    Optional<Integer> optionalInt(String key, int min, int max) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode child = node.get(key);
        if (!child.isIntegralNumber() || child.asLong() < min || child.asLong() > max) {
            throw new ConfigException(child(key).path + ": must be a whole number from " + min + " to " + max + ", got '" + child.asText() + "'");
        }
        return Optional.of(child.asInt());
    }

    /** ISO-8601 durations such as PT5M, PT1H or P5D. */
    Optional<java.time.Duration> optionalDuration(String key) {
        return optionalText(key).map(text -> {
            try {
                java.time.Duration d = java.time.Duration.parse(text);
                if (d.isNegative() || d.isZero()) {
                    throw new ConfigException(child(key).path + ": must be a positive duration, got '" + text + "'");
                }
                return d;
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConfigException(child(key).path + ": must be an ISO-8601 duration such as PT5M, PT1H or P5D, got '" + text + "'");
            }
        });
    }

    UUID requireGuid(String key) {
        String text = requireText(key);
        try {
            UUID id = UUID.fromString(text);
            if (!id.toString().equalsIgnoreCase(text)) {
                throw new IllegalArgumentException();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(child(key).path + ": must be a GUID like 6f1c2d3e-0000-4000-8000-000000000001, got '" + text + "'");
        }
    }

    List<String> textList(String key) {
        if (!has(key)) {
            return List.of();
        }
        return list(key, item -> {
            if (!item.node.isValueNode() || item.node.asText().isBlank()) {
                throw new ConfigException(item.path + ": must be a non-empty text");
            }
            return item.node.asText();
        });
    }

    <T> List<T> list(String key, Function<YamlNode, T> parse) {
        JsonNode child = node.get(key);
        if (child == null || child.isNull()) {
            return List.of();
        }
        if (!child.isArray()) {
            throw new ConfigException(child(key).path + ": must be a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < child.size(); i++) {
            out.add(parse.apply(new YamlNode(child.get(i), child(key).path + "[" + i + "]")));
        }
        return out;
    }

    private String where() {
        return path.isEmpty() ? "the configuration " : path + ": ";
    }
}
