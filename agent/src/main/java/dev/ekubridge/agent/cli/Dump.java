package dev.ekubridge.agent.cli;

import dev.ekubridge.Identity;
import dev.ekubridge.Role;
import dev.ekubridge.internal.CertificateText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * {@code dump --config FILE --out DIR}: the diagnostic bundle, as Expressway's: the certificates in use as
 * PEM ({@code server_<host>_<time>.pem}, {@code client_<host>_<time>.pem}, {@code ca_<host>_<time>.pem}; host
 * = this machine's name, time = UTC {@code yyyyMMdd'T'HHmmss'Z'}) and a text summary (the doctor's report).
 * Certificates only: never a private key, never a password.
 */
final class Dump extends Main.Command {
    Dump() {
        super("dump",
            "usage: " + Main.JAR + " dump --config FILE --out DIR [key=value ...] [--json]\n"
            + "       " + Main.JAR + " dump key=value [key=value ...] --out DIR [--json]",
            help("Writes the diagnostic bundle into DIR (created if missing): the certificates in use as PEM files,\n"
                + "  server_<host>_<time>.pem   the server role's identities, each chain leaf first\n"
                + "  client_<host>_<time>.pem   the client role's (the server identity when it presents that)\n"
                + "  ca_<host>_<time>.pem       the trust anchors (the configured store's, or the JDK default's)\n"
                + "  summary_<host>_<time>.txt  the doctor's report: roles, predictions, findings\n"
                + "host = this machine's name, time = UTC yyyyMMdd'T'HHmmss'Z'. Never a private key or a password; existing\n"
                + "files are never overwritten.\n",
                Options.CONFIG_HELP
                + "  --out DIR       where to write\n"
                + Options.JSON_HELP,
                "0 written, 1 cannot write, 2 invalid configuration, 64 usage error"),
            new Options.Spec().configuration().option("--out", "DIR").flag("--json"));
    }

    @Override
    int run(Options options, Io io) throws Options.UsageException, Configuration.Invalid {
        options.requireConfiguration();
        if (options.value("--out") == null) {
            throw new Options.UsageException("give --out DIR");
        }
        Path directory;
        try {
            directory = Paths.get(options.value("--out")).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new Options.UsageException("--out needs a DIR this JVM can name (run it with a UTF-8 locale for non-ASCII names)");
        }
        Configuration loaded = Configuration.load(options.configuration());
        Date now = new Date();
        String host = hostName();
        String time = utc(now);
        String suffix = "_" + host + "_" + time;
        List<Object> files = Json.array();
        try {
            Files.createDirectories(directory);
            List<Identity> servers = loaded.identities(Role.SERVER);
            if (!servers.isEmpty()) {
                files.add(write(directory, "server" + suffix + ".pem", "server", identitiesPem(servers, "server role", null),
                    countChains(servers)));
            }
            List<Identity> clients = loaded.identities(Role.CLIENT);
            if (!clients.isEmpty()) {
                String kind = loaded.clientRoleKind();
                String note = "upgrade-default".equals(kind)
                    ? "the client role presents the server identity (upgrade default: no client identity configured)"
                    : "server-explicit".equals(kind) ? "the client role presents the server identity (client.identity=server)" : null;
                files.add(write(directory, "client" + suffix + ".pem", "client", identitiesPem(clients, "client role", note),
                    countChains(clients)));
            }
            X509Certificate[] anchors = loaded.anchors();
            if (anchors.length > 0) {
                String source = loaded.trustSource() == null ? "the JDK default trust store (none configured)" : loaded.trustSource();
                StringBuilder pem = new StringBuilder("# trust anchors from " + CertificateText.printable(source) + "\n");
                for (X509Certificate anchor : anchors) {
                    pem.append(pem(anchor));
                }
                files.add(write(directory, "ca" + suffix + ".pem", "ca", pem.toString(), anchors.length));
            }
            Diagnosis diagnosis = Diagnosis.of(loaded, now);
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            PrintStream text = new PrintStream(summary, true, "UTF-8");
            text.println("EKU Bridge diagnostic bundle, " + now.toInstant() + ", host " + host + ", EKU Bridge "
                + (Main.version() == null ? "(version unknown)" : Main.version()) + ", Java " + System.getProperty("java.version"));
            text.println("Certificates only: no private key or password is in this bundle.");
            text.println();
            Doctor.print(text, loaded, diagnosis, now);
            text.println();
            text.println(Doctor.verdict(diagnosis));
            text.println();
            text.println("files:");
            for (Object file : files) {
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) file;
                text.println("  " + entry.get("name") + "  " + entry.get("certificates") + " certificates");
            }
            text.flush();
            files.add(write(directory, "summary" + suffix + ".txt", "summary", new String(summary.toByteArray(), StandardCharsets.UTF_8), 0));
        } catch (IOException | CertificateEncodingException e) {
            return io.fail(Main.FOUND, "cannot write the bundle into " + directory + ": " + describe(e));
        }
        if (io.json) {
            Map<String, Object> json = Json.object();
            json.put("directory", directory.toString());
            json.put("host", host);
            json.put("time", time);
            json.put("files", files);
            return io.document(json, Main.OK);
        }
        io.out.println("EKU Bridge diagnostic bundle written to " + CertificateText.printable(directory.toString()) + ":");
        for (Object file : files) {
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = (Map<String, Object>) file;
            io.out.println("  " + CertText.pad(String.valueOf(entry.get("name")), 48) + "  " + describe(entry));
        }
        io.out.println("(certificates only: no private key or password)");
        io.out.flush();
        return Main.OK;
    }

    private static String describe(Map<String, Object> entry) {
        if ("summary".equals(entry.get("kind"))) {
            return "the doctor's report";
        }
        Object count = entry.get("certificates");
        return count + ("1".equals(String.valueOf(count)) ? " certificate" : " certificates");
    }

    private static String describe(Exception e) {
        if (e instanceof FileAlreadyExistsException) {
            return ((FileAlreadyExistsException) e).getFile() + " exists already";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static int countChains(List<Identity> identities) {
        int count = 0;
        for (Identity identity : identities) {
            count += identity.chain().length;
        }
        return count;
    }

    private static String identitiesPem(List<Identity> identities, String role, String note) throws CertificateEncodingException {
        StringBuilder pem = new StringBuilder();
        if (note != null) {
            pem.append("# ").append(note).append('\n');
        }
        for (int i = 0; i < identities.size(); i++) {
            Identity identity = identities.get(i);
            pem.append("# ").append(role).append(" identity ").append(i + 1).append(" of ").append(identities.size()).append(": '")
                .append(CertificateText.printable(identity.name())).append("' from ").append(CertificateText.printable(identity.source()))
                .append('\n');
            for (X509Certificate certificate : identity.chain()) {
                pem.append(pem(certificate));
            }
        }
        return pem.toString();
    }

    private static String pem(X509Certificate certificate) throws CertificateEncodingException {
        return "# " + CertificateText.describe(certificate) + "\n# EKU " + CertText.ekuNames(CertText.ekus(certificate))
            + ", valid " + certificate.getNotBefore().toInstant() + " .. " + certificate.getNotAfter().toInstant() + "\n"
            + "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
    }

    /** Writes a new file (never over an existing one) and describes it. */
    private static Map<String, Object> write(Path directory, String name, String kind, String content, int certificates)
            throws IOException {
        Path file = directory.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Map<String, Object> entry = Json.object();
        entry.put("name", name);
        entry.put("path", file.toString());
        entry.put("kind", kind);
        entry.put("certificates", certificates);
        return entry;
    }

    /** This machine's name for file names: letters, digits, dots and dashes; {@code localhost} when it cannot be told. */
    static String hostName() {
        String name = null;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.trim().isEmpty()) {
            name = "localhost";
        }
        StringBuilder safe = new StringBuilder();
        for (char c : name.trim().toCharArray()) {
            safe.append(Character.isLetterOrDigit(c) && c < 0x80 || c == '.' || c == '-' ? c : '_');
        }
        return safe.length() > 64 ? safe.substring(0, 64) : safe.toString();
    }

    /** {@code yyyyMMdd'T'HHmmss'Z'} in UTC. */
    static String utc(Date time) {
        SimpleDateFormat format = new SimpleDateFormat("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(time);
    }
}
