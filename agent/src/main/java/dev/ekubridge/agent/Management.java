package dev.ekubridge.agent;

import dev.ekubridge.AgentSupport;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Registers the bridge's MBean ({@code dev.ekubridge:type=EkuBridge}) once, when the application first uses TLS,
 * on a thread of its own. Not at agent start: initialising JMX in {@code premain} can fix the JVM's logging manager
 * before the application chooses its own (JBoss LogManager, for one), and the first retrofit can run inside a JDK
 * class initialiser, where JMX's own start-up must not run.
 */
final class Management {
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    private Management() {
    }

    static void registerOnFirstUse(final AgentSupport retrofit) {
        if (REGISTERED.get() || !REGISTERED.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    AgentLog.get().debug("management: {}", retrofit.bridge().registerMBean());
                } catch (RuntimeException | LinkageError e) {
                    AgentLog.get().warn("cannot register the EKU Bridge MBean: {}", e.toString());
                }
            }
        }, "ekubridge-jmx");
        thread.setDaemon(true);
        thread.start();
    }
}
