package dev.goloom.internal.trace;

import dev.goloom.GoRuntime;
import dev.goloom.SchedStats;
import dev.goloom.debug.DebugServer;
import dev.goloom.debug.SchedulerMXBean;
import dev.goloom.internal.sched.Sched;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the debugging tools need from each runtime, wired in by {@code GoRuntime}'s constructor
 * and {@code close()}: the runtime-to-engine map the public {@code dev.goloom.debug} classes use,
 * the JMX registration, and the system properties {@code goloom.trace}, {@code goloom.debug.addr}
 * and {@code goloom.jmx}.
 */
public final class RuntimeHooks {
    /* Implementation notes
     *
     * Overview
     *   started() records rt -> sched (weak keys: a runtime nobody holds can go), asks the JFR
     *   bridge to watch recordings, applies -Dgoloom.trace / -Dgoloom.debug.addr for the first
     *   runtime of the JVM, and queues the MXBean registration. closed() queues the
     *   unregistration. One daemon thread (goloom-jmx) performs the queued JMX operations in
     *   order, because creating the platform MBean server costs a few hundred milliseconds that a
     *   runtime's start should not pay.
     *
     * Invariants
     *   I1 JMX operations run in the order queued, so an unregister never precedes its register.
     *   I2 the property-driven trace and server start at most once per JVM.
     *
     * Ownership & locking: SCHEDS is a synchronized WeakHashMap; JMX state (names) belongs to
     *   the goloom-jmx thread alone.
     * Memory ordering: ConcurrentLinkedQueue offer/poll hand each operation over (happens-before).
     *   No wake-up is lost: jmx() adds before it reads jmxThread and unparks it; the loop polls
     *   after every park. A caller that read jmxThread still null added before the winner of
     *   JMX_STARTED published it (all volatile: one total order), and the thread, started
     *   only after that, polls before it first parks.
     * Rejected alternatives: registering synchronously (slow starts in every test); registering
     *   only on demand (JConsole users expect the bean to be there).
     */
    private RuntimeHooks() {
    }

    private static final Map<GoRuntime, Sched> SCHEDS = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicBoolean FIRST = new AtomicBoolean();
    private static final ConcurrentLinkedQueue<Runnable> JMX_OPS = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean JMX_STARTED = new AtomicBoolean();
    /** the goloom-jmx thread once started (published after JMX_STARTED is won). */
    private static volatile Thread jmxThread;
    private static final Map<GoRuntime, ObjectName> JMX_NAMES = new WeakHashMap<>();   // goloom-jmx only

    /** Called by GoRuntime's constructor. */
    public static void started(GoRuntime rt, Sched s) {
        SCHEDS.put(rt, s);
        JfrBridge.watch();
        if (FIRST.compareAndSet(false, true)) {                     // keeps I2
            startFromProperties(rt, s);
        }
        if (!"false".equalsIgnoreCase(System.getProperty("goloom.jmx"))) {
            jmx(() -> register(rt, s));
        }
    }

    /**
     * Called by GoRuntime.close(). Best effort, as all of JMX here: a close must not fail because
     * the unregistration could not be queued (out of memory, or a JDK class that failed to
     * initialize in an earlier out-of-memory and is now unusable for the rest of the JVM's life).
     */
    public static void closed(GoRuntime rt) {
        if (!"false".equalsIgnoreCase(System.getProperty("goloom.jmx"))) {
            try {
                jmx(() -> unregister(rt));
            } catch (RuntimeException | Error e) {
                // the bean stays registered; it holds the runtime weakly (Bean)
            }
        }
    }

    /** The engine of {@code rt}. */
    public static Sched sched(GoRuntime rt) {
        Sched s = SCHEDS.get(rt);
        if (s == null) {
            throw new IllegalStateException("goloom: unknown runtime " + rt);
        }
        return s;
    }

    /** The engines of {@link #runtimes()}, closed ones included. */
    public static List<Sched> scheds() {
        synchronized (SCHEDS) {
            return new ArrayList<>(SCHEDS.values());
        }
    }

    /** Every runtime started and not yet collected (closed ones included). */
    public static List<GoRuntime> runtimes() {
        synchronized (SCHEDS) {
            return new ArrayList<>(SCHEDS.keySet());
        }
    }

    // ------------------------------------------------------------------------- properties

    private static void startFromProperties(GoRuntime rt, Sched s) {
        String trace = System.getProperty("goloom.trace");
        if (trace != null && !trace.isBlank()) {
            try {
                TraceRecorder.start(Path.of(trace), s.maxProcs(), s.allGs());
                Runtime.getRuntime().addShutdownHook(new Thread(TraceRecorder::stopActive, "goloom-trace-stop"));
            } catch (RuntimeException e) {
                System.err.println("goloom: -Dgoloom.trace=" + trace + ": " + e.getMessage());
            }
        }
        String addr = System.getProperty("goloom.debug.addr");
        if (addr != null && !addr.isBlank()) {
            try {
                DebugServer.start(rt, parseAddr(addr));
            } catch (RuntimeException e) {
                System.err.println("goloom: -Dgoloom.debug.addr=" + addr + ": " + e.getMessage());
            }
        }
    }

    /** "host:port", ":port" (loopback) or "port" (loopback). */
    public static InetSocketAddress parseAddr(String a) {
        int i = a.lastIndexOf(':');
        String host = i < 0 ? "" : a.substring(0, i);
        String port = i < 0 ? a : a.substring(i + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int pn;
        try {
            pn = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("goloom: bad address '" + a + "': want host:port");
        }
        return host.isEmpty() ? new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), pn)
                : new InetSocketAddress(host, pn);
    }

    // ------------------------------------------------------------------------- JMX

    private static void jmx(Runnable op) {
        JMX_OPS.add(op);                                            // keeps I1: one FIFO
        Thread t = jmxThread;
        if (t != null) {
            LockSupport.unpark(t);
        } else if (JMX_STARTED.compareAndSet(false, true)) {
            Thread th = Thread.ofPlatform().daemon().name("goloom-jmx").unstarted(RuntimeHooks::jmxLoop);
            jmxThread = th;                                         // published before it runs
            th.start();
        }
    }

    /**
     * The goloom-jmx thread: runs queued operations, parks when there are none. It waits with
     * LockSupport rather than a blocking queue: a lock-based queue took the JDK's AQS slow path
     * the first time it was contended, initializing one of its classes; when that happened in an
     * out-of-memory, the class failed to initialize, and every contended JDK lock in the JVM
     * threw NoClassDefFoundError from then on (OutOfMemoryFaultTest's child, at its final close).
     */
    private static void jmxLoop() {
        while (true) {
            Runnable op = JMX_OPS.poll();
            if (op == null) {
                LockSupport.park(JMX_OPS);                          // jmx() unparks after its add
                if (Thread.interrupted()) {
                    return;
                }
                continue;
            }
            try {
                op.run();
            } catch (RuntimeException | Error e) {
                // JMX is best effort: a failure (an OutOfMemoryError too) must not stop later
                // operations
            }
        }
    }

    /** Blocks until every queued JMX operation has run (tests). */
    public static void awaitJmx() throws InterruptedException {
        java.util.concurrent.CountDownLatch l = new java.util.concurrent.CountDownLatch(1);
        jmx(l::countDown);
        l.await();
    }

    private static void register(GoRuntime rt, Sched s) {
        try {
            MBeanServer srv = ManagementFactory.getPlatformMBeanServer();
            String base = "dev.goloom:type=Scheduler,name=" + ObjectName.quote(s.name());
            ObjectName n = new ObjectName(base);
            for (int k = 2; srv.isRegistered(n); k++) {
                n = new ObjectName("dev.goloom:type=Scheduler,name=" + ObjectName.quote(s.name() + "#" + k));
            }
            srv.registerMBean(new Bean(rt, s.name()), n);
            JMX_NAMES.put(rt, n);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void unregister(GoRuntime rt) {
        ObjectName n = JMX_NAMES.remove(rt);
        if (n != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(n);
            } catch (javax.management.JMException ignored) {
                // already gone
            }
        }
    }

    /** The MXBean; holds the runtime weakly so registration never keeps a runtime alive. */
    private static final class Bean implements SchedulerMXBean {
        private final java.lang.ref.WeakReference<GoRuntime> rt;
        private final String name;

        Bean(GoRuntime rt, String name) {
            this.rt = new java.lang.ref.WeakReference<>(rt);
            this.name = name;
        }

        private SchedStats st() {
            GoRuntime r = rt.get();
            return r == null ? new SchedStats(0, 0, 0, 0, 0, 0, new int[0], 0, 0, 0) : r.schedStats();
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getGoroutines() {
            GoRuntime r = rt.get();
            return r == null ? 0 : r.numGoroutine();
        }

        @Override
        public int getMaxProcs() {
            return st().maxProcs();
        }

        @Override
        public int getIdleProcs() {
            return st().idleProcs();
        }

        @Override
        public int getThreads() {
            return st().threads();
        }

        @Override
        public int getSpinningThreads() {
            return st().spinningThreads();
        }

        @Override
        public int getIdleThreads() {
            return st().idleThreads();
        }

        @Override
        public int getGlobalRunQueue() {
            return st().globalRunQueue();
        }

        @Override
        public int[] getLocalRunQueues() {
            return st().localRunQueues();
        }

        @Override
        public long getGoroutinesCreated() {
            return st().goroutinesCreated();
        }

        @Override
        public long getSteals() {
            return st().steals();
        }

        @Override
        public long getHandoffs() {
            return st().handoffs();
        }

        @Override
        public String dumpGoroutines() {
            GoRuntime r = rt.get();
            return r == null ? "" : r.dump();
        }
    }
}
