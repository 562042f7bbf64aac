package dev.ekubridge;

import java.util.Date;
import java.util.Map;

/** Builds a bridge from a configuration: {@link EkuBridge#fromConfig} and, for the agent, {@link AgentSupport}. */
final class ConfiguredBridge {
    private ConfiguredBridge() {
    }

    /**
     * Loads every file {@code config} names and checks it, or throws one {@link EkuBridgeException}. With
     * {@code retrofit} (the agent, which keeps the application's key manager for a role the configuration names no
     * identity for), no warning says that the client role presents the server identity.
     */
    static EkuBridge build(EkuBridgeConfig config, boolean retrofit) {
        if (!retrofit) {
            config.logWarningsOnce(); // the agent prints them in its own log
        }
        EkuBridge.Builder builder = EkuBridge.builder().inboundEku(config.inboundEku()).logHandshakes(config.logHandshakes())
            .scopedRules(config).retrofit(retrofit);
        if (!config.clientPeers().isEmpty()) {
            builder.clientPeers(config.clientPeers());
        }
        // the files as they are before they are read: a change while they are being read is seen by the next check
        Map<String, Reloader.Observed> before = Reloader.look(config);
        Date now = new Date();
        ConfigLoader.Loaded loaded = ConfigLoader.load(config, now);
        builder.serverIdentities(loaded.server);
        builder.clientIdentities(loaded.client);
        if (config.clientUsesServerIdentity()) {
            builder.clientUsesServerIdentity();
        }
        if (loaded.trustStore != null) {
            builder.trustStore(loaded.trustStore);
        }
        return builder.validAt(now).files(config, before).build();
    }
}
