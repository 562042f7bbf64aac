package dev.ekubridge.it.web;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line {@link WebServerProcess} gives {@link JettyHttpsApp} and {@link TomcatHttpsApp}: the PKCS#12 key
 * and trust stores and their password, one {@code --connector} per connector, and for Tomcat its {@code --base}
 * directory (null when not given).
 */
record ServerArgs(String keyStore, String trustStore, String password, Path base, List<String> connectors) {
    static ServerArgs parse(String[] args) {
        String keyStore = null;
        String trustStore = null;
        String password = null;
        Path base = null;
        List<String> connectors = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--keystore" -> keyStore = args[i + 1];
                case "--truststore" -> trustStore = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--base" -> base = Paths.get(args[i + 1]);
                case "--connector" -> connectors.add(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        return new ServerArgs(keyStore, trustStore, password, base, List.copyOf(connectors));
    }
}
