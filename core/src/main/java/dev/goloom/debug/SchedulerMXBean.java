package dev.goloom.debug;

/**
 * A goloom runtime's scheduler counters over JMX: {@link dev.goloom.SchedStats} as an MXBean,
 * registered for every runtime under {@code dev.goloom:type=Scheduler,name=<runtime name>}
 * (JConsole and JDK Mission Control show it under the {@code dev.goloom} domain). Registration
 * happens on a background thread shortly after the runtime starts (the platform MBean server is
 * slow to create); {@code -Dgoloom.jmx=false} turns it off.
 *
 * <p>Each getter reads a fresh snapshot; the values of two getters may come from different
 * instants (as with Go's {@code runtime/metrics}).
 *
 * {@snippet :
 * MBeanServer s = ManagementFactory.getPlatformMBeanServer();
 * Object steals = s.getAttribute(new ObjectName("dev.goloom:type=Scheduler,name=global"), "Steals");
 * }
 */
public interface SchedulerMXBean {
    /** The runtime's name. */
    String getName();

    /** Live goroutines ({@code runtime.NumGoroutine}). */
    int getGoroutines();

    int getMaxProcs();

    int getIdleProcs();

    int getThreads();

    int getSpinningThreads();

    int getIdleThreads();

    int getGlobalRunQueue();

    int[] getLocalRunQueues();

    long getGoroutinesCreated();

    long getSteals();

    long getHandoffs();

    /** Every goroutine in Go's traceback format (as {@code GoRuntime.dump()}). */
    String dumpGoroutines();
}
