package dev.ekubridge;

import dev.ekubridge.EkuBridgeException.Reason;
import dev.ekubridge.internal.CertificateText;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a configured bridge's files: the key stores and PEM files behind every identity, their password files, and the
 * trust store. A check looks at each file's size, modification time and file key (a few {@code stat} calls, nothing
 * read, when nothing changed); a file whose metadata changed, or that was modified in the last two seconds, is read and
 * hashed (SHA-256), and when the content of any
 * file differs from the material in service, everything is loaded again and checked as at start (parsing, passwords,
 * key/certificate match, chain, admission to the role, single-store assignment), then the new {@link
 * LiveMaterial.Generation} replaces the old one in one volatile write. A file that cannot be used (garbage, a wrong
 * password, refused by a check, half-written) leaves the material in service as it was; it is logged once on
 * {@code ekubridge.config} with its reason and counted, and tried again only when a file changes again (or, for a
 * certificate not yet valid, at every check, silently). Checks are serialised.
 */
final class Reloader {
    private static final Logger LOG = LoggerFactory.getLogger("ekubridge.config");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EkuBridgeConfig config;
    private final boolean retrofit;
    private final LiveMaterial live;
    private final Map<String, Path> files;
    /** Each file as last looked at. */
    private Map<String, Observed> observed;
    /** Each file's content behind the material in service. */
    private Map<String, Observed> inService;
    /** The files' content at the last failed attempt and its failure, or {@code null}. */
    private Map<String, Observed> failedContent;
    private EkuBridgeException failure;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();
    private volatile boolean stopped;
    private volatile Thread checker;

    /**
     * @param before the files as they were before the material in service was loaded from them ({@link #look}): should one
     *     change while it was being loaded, the next check sees it
     */
    Reloader(EkuBridgeConfig config, boolean retrofit, LiveMaterial live, Map<String, Observed> before) {
        this.config = config;
        this.retrofit = retrofit;
        this.live = live;
        this.files = ConfigLoader.files(config);
        this.observed = before;
        this.inService = before;
    }

    /** Every file of the configuration, read and hashed. */
    static Map<String, Observed> look(EkuBridgeConfig config) {
        Map<String, Observed> files = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : ConfigLoader.files(config).entrySet()) {
            files.put(file.getKey(), Observed.read(config.label(file.getKey()), file.getValue()));
        }
        return files;
    }

    long failures() {
        return failures.get();
    }

    long reloads() {
        return reloads.get();
    }

    /**
     * Looks for changed files and loads them. With {@code explicit} (a program's or an operator's request) every file is
     * hashed whatever its metadata says, and a failure is thrown; otherwise (the timer) it is logged and counted only.
     *
     * @throws EkuBridgeException with {@code explicit}, naming the files and what is wrong; the material in service stays
     */
    synchronized ReloadResult check(boolean explicit) {
        Map<String, Observed> now = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Observed previous = observed.get(file.getKey());
            Observed looked = Observed.stat(file.getValue());
            now.put(file.getKey(), !explicit && previous != null && previous.sameStat(looked) && !looked.recentlyModified() ? previous
                : Observed.read(config.label(file.getKey()), file.getValue()));
        }
        observed = now;
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Observed> file : now.entrySet()) {
            Observed served = inService.get(file.getKey());
            if (served == null || !served.sameContent(file.getValue())) {
                changed.add(config.label(file.getKey()));
            }
        }
        LiveMaterial.Generation current = live.current();
        if (changed.isEmpty()) {
            failedContent = null;
            failure = null;
            return new ReloadResult(false, changed, current.number, "no certificate file changed: generation " + current.number
                + " stays in service (" + describe(current) + ")");
        }
        boolean sameAsFailed = failedContent != null && sameContent(now, failedContent);
        if (sameAsFailed && failure.reason() != Reason.NOT_YET_VALID) {
            if (explicit) {
                throw failed(changed, failure);
            }
            return new ReloadResult(false, new ArrayList<String>(), current.number, "still refused, generation " + current.number
                + " stays in service: " + failure.getMessage());
        }
        LiveMaterial.Generation next;
        try {
            next = load(current);
        } catch (RuntimeException e) {
            EkuBridgeException refusal = e instanceof EkuBridgeException ? (EkuBridgeException) e
                : new EkuBridgeException(Reason.UNKNOWN_FORMAT, "unexpected " + e.getClass().getName() + " while loading", e);
            failedContent = now;
            failure = refusal;
            EkuBridgeException reported = failed(changed, refusal);
            if (!sameAsFailed) {
                failures.incrementAndGet();
                LOG.warn("{}", reported.getMessage());
            }
            if (explicit) {
                throw reported;
            }
            return new ReloadResult(false, new ArrayList<String>(), current.number, reported.getMessage());
        }
        live.swap(next);
        inService = now;
        failedContent = null;
        failure = null;
        reloads.incrementAndGet();
        String summary = "reloaded " + String.join(", ", changed) + ": generation " + next.number + " in service (" + describe(next) + ")";
        LOG.info("{}", summary);
        return new ReloadResult(true, changed, next.number, summary);
    }

    private static EkuBridgeException failed(List<String> changed, EkuBridgeException refusal) {
        return new EkuBridgeException(refusal.reason(), "reload of " + String.join(", ", changed) + " refused, the certificates in"
            + " service are kept: " + refusal.getMessage(), refusal);
    }

    private static boolean sameContent(Map<String, Observed> a, Map<String, Observed> b) {
        for (Map.Entry<String, Observed> file : a.entrySet()) {
            Observed other = b.get(file.getKey());
            if (other == null || !other.sameContent(file.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Loads and checks every file as at start, into the next generation. */
    private LiveMaterial.Generation load(LiveMaterial.Generation current) {
        Date now = new Date();
        ConfigLoader.Loaded loaded = ConfigLoader.load(config, now);
        KeyState keys = KeyState.admit(loaded.server, loaded.client, config.clientUsesServerIdentity(), false, now,
            !retrofit && !current.keys.clientIsUpgradeDefault);
        X509ExtendedTrustManager trust = loaded.trustStore == null ? null : DefaultTrust.manager(loaded.trustStore);
        return new LiveMaterial.Generation(keys, trust, current.number + 1);
    }

    /** What each role presents, for the log line and the agent's reply. */
    private String describe(LiveMaterial.Generation generation) {
        KeyState keys = generation.keys;
        String application = "the application's key manager";
        String server = retrofit && keys.server == null ? application : describe(keys.identities(Role.SERVER));
        String client = retrofit && (keys.client == null || keys.clientIsUpgradeDefault) ? application : describe(keys.identities(Role.CLIENT));
        return "server role " + server + "; client role " + client
            + (generation.trust == null ? "" : "; trust store of " + generation.trust.getAcceptedIssuers().length + " certificates");
    }

    private static String describe(List<Identity> identities) {
        if (identities.isEmpty()) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < identities.size() && i < 3; i++) {
            Identity identity = identities.get(i);
            text.append(i == 0 ? "" : ", ").append('\'').append(CertificateText.printable(identity.name())).append("' ")
                .append(CertificateText.describe(identity.certificate()));
        }
        if (identities.size() > 3) {
            text.append(" and ").append(identities.size() - 3).append(" more");
        }
        return text.toString();
    }

    /** Starts the checker: a daemon thread that checks every {@code seconds} and ends when nothing uses this reloader. */
    void start(int seconds) {
        int number = THREADS.incrementAndGet();
        Thread thread = new Thread(new Checker(new WeakReference<>(this), seconds * 1000L),
            "ekubridge-reload" + (number == 1 ? "" : "-" + number));
        thread.setDaemon(true);
        thread.setContextClassLoader(Reloader.class.getClassLoader());
        checker = thread;
        thread.start();
    }

    /** The checker thread, or {@code null} when there is none ({@code reload.seconds=0}, or stopped). */
    Thread checker() {
        Thread thread = checker;
        return thread != null && thread.isAlive() ? thread : null;
    }

    void stop() {
        stopped = true;
        Thread thread = checker;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Holds the reloader weakly: when no bridge, context or manager uses it any more, the thread ends. */
    private static final class Checker implements Runnable {
        private final WeakReference<Reloader> reloader;
        private final long periodMillis;

        Checker(WeakReference<Reloader> reloader, long periodMillis) {
            this.reloader = reloader;
            this.periodMillis = periodMillis;
        }

        @Override
        public void run() {
            while (true) {
                try {
                    Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                    return;
                }
                if (!checkOnce()) {
                    return;
                }
            }
        }

        /** One check; {@code false} when the reloader is gone or stopped. */
        private boolean checkOnce() {
            Reloader target = reloader.get();
            if (target == null || target.stopped) {
                return false;
            }
            try {
                target.check(false);
            } catch (RuntimeException | Error e) {
                LOG.warn("certificate reload check failed unexpectedly ({}); the certificates in service are kept", e.getClass().getName());
            }
            return true;
        }
    }

    /** A file as looked at: its metadata and, when read, the SHA-256 of its content. Immutable. */
    static final class Observed {
        private static final long RACY_MILLIS = 2000;
        private final long size;
        private final FileTime modified;
        private final Object fileKey;
        /** SHA-256 of the content, or {@code null} when it was not read or could not be. */
        private final byte[] sha256;
        private final boolean read;

        private Observed(long size, FileTime modified, Object fileKey, byte[] sha256, boolean read) {
            this.size = size;
            this.modified = modified;
            this.fileKey = fileKey;
            this.sha256 = sha256;
            this.read = read;
        }

        /** Metadata only; a file that cannot be looked at is size -1. */
        static Observed stat(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Observed(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey(), null, false);
            } catch (IOException | RuntimeException e) {
                return new Observed(-1, null, null, null, false);
            }
        }

        /** Metadata, then the content's hash (read as the loaders read it: regular files, within their size cap). */
        static Observed read(String label, Path file) {
            Observed stat = stat(file);
            byte[] hash = null;
            try {
                byte[] content = FileBytes.read(label, file);
                try {
                    hash = MessageDigest.getInstance("SHA-256").digest(content);
                } finally {
                    Arrays.fill(content, (byte) 0);
                }
            } catch (EkuBridgeException e) {
                hash = null; // missing, unreadable, not a regular file: the load will say why
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
            return new Observed(stat.size, stat.modified, stat.fileKey, hash, true);
        }

        /**
         * Modified in the last two seconds: a second write within the file system's time granularity could leave size and
         * time as they were, so such a file is read again at each check until it has been quiet for a while.
         */
        boolean recentlyModified() {
            return modified != null && System.currentTimeMillis() - modified.toMillis() < RACY_MILLIS;
        }

        boolean sameStat(Observed other) {
            return size == other.size && equal(modified, other.modified) && equal(fileKey, other.fileKey);
        }

        /** Whether both were read and hold the same bytes (or both could not be read). */
        boolean sameContent(Observed other) {
            return read && other.read && Arrays.equals(sha256, other.sha256);
        }

        private static boolean equal(Object a, Object b) {
            return a == null ? b == null : a.equals(b);
        }
    }
}
