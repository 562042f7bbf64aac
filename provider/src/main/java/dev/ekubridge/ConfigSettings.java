package dev.ekubridge;

import dev.ekubridge.EkuBridgeConfig.Setting;
import dev.ekubridge.EkuBridgeException.Reason;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys a configuration sets, each with its value and the source it came from, in the order they were read.
 * Every message about a key names that source, so the lookups that messages need live here with the values.
 */
final class ConfigSettings {
    private final Map<String, Setting> settings;

    ConfigSettings(Map<String, Setting> settings) {
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Key to value and source, unmodifiable. */
    Map<String, Setting> all() {
        return settings;
    }

    Setting setting(String key) {
        return settings.get(key);
    }

    String get(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.value;
    }

    String sourceOf(String key) {
        Setting setting = settings.get(key);
        return setting == null ? null : setting.source;
    }

    boolean has(String key) {
        return settings.containsKey(key);
    }

    /** Whether the configuration names its own identity for {@code role}. */
    boolean hasIdentity(Role role) {
        return has(role + ".keystore") || has(role + ".cert");
    }

    /** A bad value of {@code key}, named with its source. */
    EkuBridgeException bad(String key, String why) {
        return new EkuBridgeException(Reason.BAD_VALUE, key + " (from " + sourceOf(key) + "): " + why);
    }
}
