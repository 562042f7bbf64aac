package dev.ekubridge.agent.cli;

import dev.ekubridge.EkuPolicy;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Set;

/** One case of the source document: its certificates (the legend) and its links in each Edge inbound EKU mode. */
final class DemoScenario {
    /** The links of a scenario for one Edge inbound EKU mode; builds the nodes for that mode. */
    interface Topology {
        List<DemoLink> links(EkuPolicy edgeMode) throws GeneralSecurityException, IOException;
    }

    final String id;
    /** The mode(s) the source document used for this case. */
    final Set<EkuPolicy> documentModes;
    final List<String> legend;
    final Topology topology;

    DemoScenario(String id, Set<EkuPolicy> documentModes, List<String> legend, Topology topology) {
        this.id = id;
        this.documentModes = documentModes;
        this.legend = legend;
        this.topology = topology;
    }
}
