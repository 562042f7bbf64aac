package dev.ekubridge;

import java.util.Collections;
import java.util.List;

/**
 * What one {@link EkuBridge#reload()} did: nothing had changed, or the files that changed were loaded, checked and put
 * in service (both roles' identities and the trust store swapped in together). A reload that fails throws instead, and
 * leaves the material in service as it was. Immutable.
 */
public final class ReloadResult {
    private final boolean changed;
    private final List<String> changedFiles;
    private final long generation;
    private final String summary;

    ReloadResult(boolean changed, List<String> changedFiles, long generation, String summary) {
        this.changed = changed;
        this.changedFiles = Collections.unmodifiableList(changedFiles);
        this.generation = generation;
        this.summary = summary;
    }

    /** Whether new material was put in service. */
    public boolean changed() {
        return changed;
    }

    /**
     * The configuration keys and files whose content changed, e.g. {@code server.keystore /etc/sip/server.p12 (from
     * agent argument server.keystore)}; empty when nothing changed.
     */
    public List<String> changedFiles() {
        return changedFiles;
    }

    /** The generation in service after this reload: 0 for what was loaded at start, one more per reload that changed something. */
    public long generation() {
        return generation;
    }

    /** One line saying what happened: which files changed and what each role presents now, or that nothing changed. */
    @Override
    public String toString() {
        return summary;
    }
}
