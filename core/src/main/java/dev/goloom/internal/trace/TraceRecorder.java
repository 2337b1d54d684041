package dev.goloom.internal.trace;

import dev.goloom.internal.sched.G;
import dev.goloom.internal.sched.WaitReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The execution-trace recorder: a {@link Trace.Sink} that buffers events per P and has a
 * background thread write them to a {@link TraceFormat} file. One recorder at a time per JVM.
 */
public final class TraceRecorder implements Trace.Sink {
    /* Implementation notes
     *
     * Overview
     *   event() stamps the event with System.nanoTime() (or not, for Trace.UNTIMED: NO_TS) and
     *   encodes it in TraceFormat's event layout (a kind byte, then varints: the time since the
     *   buffer's previous timed event, goid, arg; 4-7 bytes) into the 32 KB byte chunk of P p's
     *   PBuf. A full chunk is queued for the writer thread (goloom-trace-writer), which writes
     *   it as one 'E' batch as it is, and is replaced by a recycled one. Events of p = -1 (plain
     *   threads, JDK unparkers) go to one shared PBuf.
     *   stop() turns the sink off, flushes every partial chunk, lets the writer drain, writes the
     *   end record and closes the file.
     *
     * Lineage
     *   Go's runtime/trace (trace.go, tracebuf.go): per-P (since Go 1.21 per-M) buffers flushed
     *   to a reader goroutine, a string table, varint deltas. JFR's thread-local buffers promoted
     *   to global ones by a recorder thread are the same shape.
     *
     * Invariants
     *   I1 a PBuf's chunk and count are touched only by the thread holding its busy flag.
     *   I2 a chunk is in exactly one place: a PBuf, the writer queue, or the free pool.
     *   I3 after stop() returns, no queued chunk is lost and the file ends with an 'E' then 'Z'.
     *   I4 at most MAX_PENDING full chunks wait for the writer; past that a P reuses its chunk and
     *      counts the events as dropped (reported on stop), so tracing cannot exhaust the heap.
     *
     * Ownership & locking
     *   Trace's contract C1 says only P p's holder emits with p, so the busy flag of a P's buffer
     *   is uncontended: one CAS and one release store an event, never a wait (lock-free for the
     *   owner). A thread that breaks C1 and finds the flag held does not wait either: it writes to
     *   the shared buffer instead. The shared buffer's flag is a spin lock held for a few stores;
     *   a sink may not block or park (Trace C3), so it spins with onSpinWait, never parks.
     *   The writer thread alone owns the output stream and the string ids.
     *
     * Memory ordering
     *   busy: CAS (acquire) in lock(), setRelease in unlock(): chunk writes by one holder happen
     *   before the next holder's reads (stop()'s flush pairs with the owner this way).
     *   Chunks pass to the writer through ConcurrentLinkedQueue (offer/poll: happens-before).
     *   stopped is volatile: a late event may still slip into a chunk after the flush; it is
     *   dropped, which is benign (an event racing with stop has no defined side).
     *
     * Rejected alternatives
     *   Four longs an event in a long[] chunk, encoded by the writer (sessions 1-4): 32 bytes
     *   an event for the P to store and a second pass on the writer's core. Encoding on the P
     *   (as Go's tracer does) stores about 5 bytes and leaves the writer a copy; the 64 MB
     *   bound then holds six times as many events. In the channel benchmarks the two measured
     *   alike within this VM's noise: the clock read dominates either way.
     *   A ThreadLocal buffer: goroutine code emits from virtual threads, so thread-local would
     *   mean one buffer per goroutine. A single MPSC ring: every P would contend on its tail.
     *   synchronized on the shared buffer: a virtual thread would park inside a scheduler hook.
     */

    static final int MAX_P = 256;
    /** bytes a chunk holds (4,500-8,000 events). */
    static final int CHUNK_BYTES = 32 * 1024;
    /** the longest event: a kind byte and three 10-byte varints. */
    static final int MAX_EVENT_BYTES = 31;
    /** the ts slot of an untimed event (Trace.UNTIMED); real stamps are >= 0. */
    static final long NO_TS = Long.MIN_VALUE;

    /** at most this many full chunks (CHUNK_BYTES each) wait for the writer: 64 MB. */
    static final int MAX_PENDING = 2048;
    private static final AtomicReference<TraceRecorder> ACTIVE = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

    private final PBuf[] pbufs = new PBuf[MAX_P];
    private final PBuf shared = new PBuf(-1);
    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final Path file;
    private final long baseNanos;
    private final Thread writer;
    private volatile boolean stopped;
    private volatile boolean drained;
    private volatile IOException failure;
    private final TraceFormat.Enc out;

    private static final VarHandle PBUFS = MethodHandles.arrayElementVarHandle(PBuf[].class);

    private TraceRecorder(Path file, int maxProcs, Iterable<G> existing) throws IOException {
        this.file = file;
        this.out = new TraceFormat.Enc(Files.newOutputStream(file));
        this.baseNanos = System.nanoTime();
        long epoch = java.time.Instant.now().toEpochMilli() * 1_000_000L;
        out.write(TraceFormat.MAGIC);
        out.write(TraceFormat.VERSION);
        out.writeLong(epoch);
        out.writeLong(baseNanos);
        out.uvarint(maxProcs);
        for (WaitReason r : WaitReason.values()) {
            int id = stringId(r.toString());                 // its 'S' record first
            writeTag(TraceFormat.REASON).uvarint(r.ordinal());
            out.uvarint(id);
        }
        if (existing != null) {
            for (G g : existing) {
                WaitReason r = g.waitReason();
                event(Trace.GO_STATUS, -1, g.id(), r == null ? -1 : r.ordinal(), givenName(g));
            }
        }
        this.writer = Thread.ofPlatform().daemon().name("goloom-trace-writer").unstarted(this::writeLoop);
    }

    /**
     * Starts recording to {@code file}: Go's {@code trace.Start}. {@code existing} are the
     * goroutines alive now (recorded as GO_STATUS events with their names).
     *
     * @throws IllegalStateException if a trace is already being recorded ("tracing is already enabled")
     * @throws UncheckedIOException if the file cannot be created
     */
    public static TraceRecorder start(Path file, int maxProcs, Iterable<G> existing) {
        TraceRecorder r;
        synchronized (ACTIVE) {            // checked before the file is touched: never truncate a running trace
            if (ACTIVE.get() != null) {
                throw new IllegalStateException("goloom: tracing is already enabled");
            }
            try {
                r = new TraceRecorder(file, maxProcs, existing);
            } catch (IOException e) {
                throw new UncheckedIOException("goloom: cannot create trace file " + file, e);
            }
            ACTIVE.set(r);
        }
        r.writer.start();
        Trace.add(r);
        return r;
    }

    /** The recorder now running, or null. */
    public static TraceRecorder active() {
        return ACTIVE.get();
    }

    /** Stops the active recorder, if any, and returns its file (null if none was running). */
    public static Path stopActive() {
        TraceRecorder r = ACTIVE.get();
        if (r == null) {
            return null;
        }
        r.stop();
        return r.file;
    }

    public Path file() {
        return file;
    }

    // ------------------------------------------------------------------------- the hot path

    @Override
    public void event(int kind, int p, long goid, long arg) {
        eventAt(kind, p, goid, arg, 0);
    }

    @Override
    public long eventAt(int kind, int p, long goid, long arg, long at) {
        if (stopped) {
            return 0;
        }
        boolean untimed = at == Trace.UNTIMED;
        long now = untimed ? 0 : at != 0 ? at : System.nanoTime();
        PBuf b = p >= 0 && p < MAX_P ? pbuf(p) : shared;
        if (b != shared && !b.tryLock()) {
            b = shared;                         // C1 broken: never wait on an owner's buffer
        }
        if (b == shared) {
            if (untimed) {
                untimed = false;                // the shared buffer mixes threads: always timed
                now = System.nanoTime();
            }
            shared.lock();
        }
        try {
            b.put(this, untimed ? NO_TS : now - baseNanos, kind, goid, arg);
        } finally {
            b.unlock();
        }
        return now;
    }

    @Override
    public void event(int kind, int p, long goid, long arg, String name) {
        if (stopped) {
            return;
        }
        if (name != null) {
            queue.offer(new Name(goid, name));
        }
        event(kind, p, goid, arg);
    }

    private PBuf pbuf(int p) {
        PBuf b = (PBuf) PBUFS.getAcquire(pbufs, p);   // acquire: pairs with the CAS below
        if (b == null) {
            PBuf nb = new PBuf(p);
            b = (PBuf) PBUFS.compareAndExchange(pbufs, p, null, nb);
            b = b == null ? nb : b;
        }
        return b;
    }

    byte[] newChunk() {
        byte[] c = free.poll();
        return c != null ? c : new byte[CHUNK_BYTES];
    }

    /**
     * Queues a full chunk for the writer; false (the caller reuses the chunk, dropping its events)
     * when the writer is {@link #MAX_PENDING} chunks behind, so a slow disk costs events, not memory.
     */
    boolean submit(int p, byte[] chunk, int len, int n) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped.addAndGet(n);
            return false;
        }
        queue.offer(new Batch(p, chunk, len, n));
        return true;
    }

    /** Events dropped because the writer fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** A chunk's first {@code len} bytes: {@code n} encoded events of P {@code p}. */
    private record Batch(int p, byte[] chunk, int len, int n) {
    }

    private record Name(long goid, String name) {
    }

    /** One P's buffer (or the shared one). */
    static final class PBuf {
        final int p;
        /** 0 free, 1 held; guards the fields below (I1). */
        volatile int busy;
        byte[] chunk;
        /** bytes used in chunk. */
        int len;
        /** events in chunk. */
        int n;
        /** the time of the chunk's last timed event (a batch's deltas start from 0). */
        long prevTs;

        private static final VarHandle BUSY;
        static {
            try {
                BUSY = MethodHandles.lookup().findVarHandle(PBuf.class, "busy", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        PBuf(int p) {
            this.p = p;
        }

        boolean tryLock() {
            return BUSY.compareAndSet(this, 0, 1);        // acquire: pairs with unlock()
        }

        void lock() {
            while (!BUSY.compareAndSet(this, 0, 1)) {
                Thread.onSpinWait();
            }
        }

        void unlock() {
            BUSY.setRelease(this, 0);                     // release: pairs with tryLock()/lock()
        }

        /** Encodes one event (TraceFormat's layout); ts is NO_TS for an untimed one. */
        void put(TraceRecorder r, long ts, int kind, long goid, long arg) {
            byte[] c = chunk;
            if (c == null) {
                chunk = c = r.newChunk();
            }
            int i = len;
            if (ts == NO_TS) {
                c[i++] = (byte) (kind | TraceFormat.UNTIMED_BIT);
            } else {
                c[i++] = (byte) kind;
                i = TraceFormat.put(c, i, TraceFormat.zigzag(ts - prevTs));
                prevTs = ts;
            }
            i = TraceFormat.put(c, i, goid);
            len = TraceFormat.put(c, i, TraceFormat.zigzag(arg));
            n++;
            if (len > CHUNK_BYTES - MAX_EVENT_BYTES) {
                if (r.submit(p, c, len, n)) {             // keeps I2
                    chunk = r.newChunk();
                }
                len = 0;
                n = 0;
                prevTs = 0;
            }
        }

        void flush(TraceRecorder r) {
            lock();
            try {
                if (n > 0) {
                    r.pending.incrementAndGet();          // the final flush is never dropped
                    r.queue.offer(new Batch(p, chunk, len, n));
                    chunk = null;
                    len = 0;
                    n = 0;
                    prevTs = 0;
                }
            } finally {
                unlock();
            }
        }
    }

    // ------------------------------------------------------------------------- stop

    /** Stops recording, writes everything buffered, and closes the file (idempotent). */
    public void stop() {
        synchronized (this) {
            if (stopped) {
                join();
                return;
            }
            stopped = true;
        }
        Trace.remove(this);
        nameLiveGoroutines();
        for (int p = 0; p < MAX_P; p++) {
            PBuf b = (PBuf) PBUFS.getAcquire(pbufs, p);
            if (b != null) {
                b.flush(this);
            }
        }
        shared.flush(this);
        drained = true;
        LockSupport.unpark(writer);
        join();
        ACTIVE.compareAndSet(this, null);
        if (dropped.get() > 0) {
            System.err.println("goloom: trace " + file + ": dropped " + dropped.get()
                    + " events (the writer fell behind)");
        }
        IOException f = failure;
        if (f != null) {
            throw new UncheckedIOException("goloom: writing trace " + file + " failed", f);
        }
    }

    /** The goroutine's name if one was given (not the default "goroutine-N"), else null. */
    static String givenName(G g) {
        String n = g.name();
        return n == null || n.equals("goroutine-" + g.id()) ? null : n;
    }

    /**
     * Names the goroutines alive at stop: GO_CREATE may come without a name (the scheduler passes
     * one only if it has it at hand), and a goroutine that outlives the trace should still be
     * named in it. Goroutines born and dead within the trace keep only a GO_CREATE name.
     */
    private void nameLiveGoroutines() {
        try {
            for (dev.goloom.internal.sched.Sched sc : RuntimeHooks.scheds()) {
                for (G g : sc.allGs()) {
                    String n = givenName(g);
                    if (n != null) {
                        queue.offer(new Name(g.id(), n));
                    }
                }
            }
        } catch (RuntimeException e) {
            // names are a convenience; a runtime closing concurrently must not break stop()
        }
    }

    private void join() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------- the writer

    private final Map<String, Integer> strings = new HashMap<>();   // writer thread only

    private void writeLoop() {
        try {
            while (true) {
                Object o = queue.poll();
                if (o == null) {
                    if (drained && queue.isEmpty()) {
                        break;
                    }
                    out.flush();
                    LockSupport.parkNanos(this, 5_000_000L);
                    continue;
                }
                write(o);
            }
            out.write(TraceFormat.END);
            out.svarint(System.nanoTime() - baseNanos);
        } catch (IOException e) {
            failure = e;
            stopped = true;
            Trace.remove(this);
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    private void write(Object o) throws IOException {
        if (o instanceof Name nm) {
            int id = stringId(nm.name);
            writeTag(TraceFormat.NAME).uvarint(nm.goid);
            out.uvarint(id);
            return;
        }
        Batch b = (Batch) o;
        pending.decrementAndGet();
        writeTag(TraceFormat.EVENTS).svarint(b.p);
        out.uvarint(b.n);
        out.write(b.chunk, b.len);
        if (b.chunk.length == CHUNK_BYTES) {
            free.offer(b.chunk);                          // keeps I2
        }
    }

    private TraceFormat.Enc writeTag(int tag) throws IOException {
        out.write(tag);
        return out;
    }

    private int stringId(String s) throws IOException {
        Integer id = strings.get(s);
        if (id != null) {
            return id;
        }
        int nid = strings.size() + 1;
        strings.put(s, nid);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeTag(TraceFormat.STRING).uvarint(nid);
        out.uvarint(b.length);
        out.write(b);
        return nid;
    }
}
