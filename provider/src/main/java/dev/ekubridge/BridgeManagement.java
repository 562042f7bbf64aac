package dev.ekubridge;

import dev.ekubridge.HandshakeCounters.Verdict;
import dev.ekubridge.internal.CertificateText;
import java.lang.management.ManagementFactory;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** {@link EkuBridgeMXBean} over one bridge; reads its live state on every call. */
final class BridgeManagement implements EkuBridgeMXBean {
    /**
     * {@code dev.ekubridge:type=EkuBridge}, built at run time: the agent's jar relocates {@code dev.ekubridge} and
     * its shading would rewrite a constant that starts with it.
     */
    static final String OBJECT_NAME = String.join(".", "dev", "ekubridge") + ":type=EkuBridge";

    private final EkuBridge bridge;

    BridgeManagement(EkuBridge bridge) {
        this.bridge = bridge;
    }

    /** Registers a view of {@code bridge} on the platform MBean server; a second bridge gets {@code ,name=2} and so on. */
    static ObjectName register(EkuBridge bridge) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            for (int n = 1; ; n++) {
                ObjectName name = new ObjectName(n == 1 ? OBJECT_NAME : OBJECT_NAME + ",name=" + n);
                if (!server.isRegistered(name)) {
                    server.registerMBean(new BridgeManagement(bridge), name);
                    return name;
                }
            }
        } catch (JMException e) {
            throw new EkuBridgeException(EkuBridgeException.Reason.UNSUPPORTED, "cannot register the EKU Bridge MBean: " + e, e);
        }
    }

    private long count(Verdict verdict) {
        return bridge.scope().counters.get(verdict);
    }

    @Override
    public String getInboundEku() {
        return bridge.scope().describe();
    }

    @Override
    public long getInboundAccepted() {
        return count(Verdict.INBOUND_ACCEPTED);
    }

    @Override
    public long getInboundAcceptedOnlyBecauseRelaxed() {
        return count(Verdict.INBOUND_ACCEPTED_RELAXED);
    }

    @Override
    public long getInboundAuditWouldRefuse() {
        return count(Verdict.INBOUND_AUDITED);
    }

    @Override
    public long getInboundRefusedByEkuRule() {
        return count(Verdict.INBOUND_REFUSED_EKU);
    }

    @Override
    public long getInboundRefusedByTrustManager() {
        return count(Verdict.INBOUND_REFUSED_TRUST);
    }

    @Override
    public long getOutboundAccepted() {
        return count(Verdict.OUTBOUND_ACCEPTED);
    }

    @Override
    public long getOutboundRefusedByEkuRule() {
        return count(Verdict.OUTBOUND_REFUSED_EKU);
    }

    @Override
    public long getOutboundRefusedByTrustManager() {
        return count(Verdict.OUTBOUND_REFUSED_TRUST);
    }

    @Override
    public List<String> getIdentities() {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        RoleAwareKeyManager keys = bridge.keyManager();
        List<String> lines = new ArrayList<>();
        for (Role role : Role.values()) {
            for (Identity identity : keys.identities(role)) {
                lines.add(role + " role: '" + CertificateText.printable(identity.name()) + "' " + CertificateText.describe(identity.certificate())
                    + " not after " + format.format(identity.certificate().getNotAfter()));
            }
        }
        return lines;
    }

    @Override
    public long getReloads() {
        return bridge.reloads();
    }

    @Override
    public long getReloadFailures() {
        return bridge.reloadFailures();
    }

    @Override
    public void resetCounters() {
        bridge.scope().counters.reset();
    }
}
