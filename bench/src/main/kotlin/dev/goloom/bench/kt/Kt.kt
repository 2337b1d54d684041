/*
 * Implementation notes
 *
 * Overview: the Kotlin-coroutine side of goloom's side-by-side benchmarks. Every function is one
 * repetition of a scenario, runs on Dispatchers.Default (one thread per core, Kotlin's default
 * for CPU-bound work, the analog of GOMAXPROCS = cores) under runBlocking, and returns one value
 * per metric of the scenario, in the scenario's unit. The Java harness (dev.goloom.bench) calls
 * them from a child JVM; sizes, warm-up and repetitions are the harness's.
 *
 * Lineage: the programs mirror ../shared/anchors/go (the same work and checks as the Go
 * version), written with Kotlin's own constructs: Channel for chan, select for select, Mutex
 * for sync.Mutex, Job trees for context trees, delay for time.Sleep, coroutineScope for
 * sync.WaitGroup.
 *
 * Invariants: I1 every coroutine a function starts has ended when it returns (structured
 * concurrency: everything is launched inside the runBlocking scope). I2 each function checks its
 * result (sums, counts) and throws IllegalStateException on a wrong one.
 *
 * Rejected alternatives: calling kotlinx.coroutines from Java (suspend functions need hand-made
 * continuations); Dispatchers.IO or a single-thread dispatcher (not what a Kotlin user gets by
 * default).
 */
package dev.goloom.bench.kt

import java.lang.management.ManagementFactory
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.yield

object Kt {
    private fun <T> run(body: suspend CoroutineScope.() -> T): T = runBlocking(Dispatchers.Default) { body() }

    private fun check(ok: Boolean, what: String) {
        if (!ok) throw IllegalStateException("check failed: $what")
    }

    private fun rss(): Long {
        for (line in java.io.File("/proc/self/status").readLines()) {
            if (line.startsWith("VmRSS:")) return line.substring(6).trim().split(Regex("\\s+"))[0].toLong() * 1024
        }
        return -1
    }

    private fun heapAfterGc(): Long {
        System.gc(); System.gc()
        return ManagementFactory.getMemoryMXBean().heapMemoryUsage.used
    }

    /** spawn-and-park: {ns per coroutine to start all n parked, RSS B/parked, heap B/parked}. */
    @JvmStatic
    fun spawn(n: Int, memory: Boolean): DoubleArray = run {
        val heap0 = if (memory) heapAfterGc() else 0
        val rss0 = if (memory) rss() else 0
        val started = AtomicInteger()
        val allStarted = CompletableDeferred<Unit>()
        val gate = CompletableDeferred<Unit>()
        var t0 = 0L
        var t1 = 0L
        var rssPer = Double.NaN
        var heapPer = Double.NaN
        coroutineScope {
            t0 = System.nanoTime()
            repeat(n) {
                launch {
                    if (started.incrementAndGet() == n) allStarted.complete(Unit)
                    gate.await()
                }
            }
            allStarted.await()
            t1 = System.nanoTime()
            if (memory) {
                rssPer = (rss() - rss0).toDouble() / n
                heapPer = (heapAfterGc() - heap0).toDouble() / n
            }
            gate.complete(Unit)
        }
        doubleArrayOf((t1 - t0).toDouble() / n, rssPer, heapPer)
    }

    private fun skynet(s: CoroutineScope, c: SendChannel<Long>, num: Long, size: Long) {
        s.launch {
            if (size == 1L) {
                c.send(num)
                return@launch
            }
            val rc = Channel<Long>()
            val sub = size / 10
            for (i in 0 until 10) skynet(s, rc, num + i * sub, sub)
            var sum = 0L
            repeat(10) { sum += rc.receive() }
            c.send(sum)
        }
    }

    /** skynet, rendezvous channels as in Go: {ms}. */
    @JvmStatic
    fun skynet(size: Long): DoubleArray = run {
        val t0 = System.nanoTime()
        val c = Channel<Long>()
        skynet(this, c, 0, size)
        val got = c.receive()
        val d = System.nanoTime() - t0
        check(got == size * (size - 1) / 2, "skynet sum $got")
        doubleArrayOf(d / 1e6)
    }

    /** Two coroutines each yield() n times: {ns per yield}. */
    @JvmStatic
    fun yieldPingPong(n: Int): DoubleArray = run {
        val start = CompletableDeferred<Unit>()
        var t0 = 0L
        coroutineScope {
            repeat(2) {
                launch {
                    start.await()
                    repeat(n) { yield() }
                }
            }
            t0 = System.nanoTime()
            start.complete(Unit)
        }
        doubleArrayOf((System.nanoTime() - t0).toDouble() / (2.0 * n))
    }

    /** Unbuffered ping-pong over two rendezvous channels: {ns per round trip}. */
    @JvmStatic
    fun pingPong(n: Int): DoubleArray = run {
        val ping = Channel<Int>()
        val pong = Channel<Int>()
        launch {
            for (v in ping) pong.send(v + 1)
        }
        val t0 = System.nanoTime()
        var v = 0
        repeat(n) {
            ping.send(v)
            v = pong.receive()
        }
        val d = System.nanoTime() - t0
        ping.close()
        check(v == n, "ping-pong value $v")
        doubleArrayOf(d.toDouble() / n)
    }

    /** Buffered channel (cap 128), p producers and c consumers, n items in all: {ns per item}. */
    @JvmStatic
    fun chanThroughput(n: Int, producers: Int, consumers: Int): DoubleArray = run {
        val ch = Channel<Int>(128)
        val per = n / producers
        val perC = n / consumers
        val total = AtomicLong()
        val t0 = System.nanoTime()
        coroutineScope {
            repeat(producers) { launch { for (i in 0 until per) ch.send(i and 127) } }
            repeat(consumers) {
                launch {
                    var s = 0L
                    repeat(perC) { s += ch.receive() }
                    total.addAndGet(s)
                }
            }
        }
        val d = System.nanoTime() - t0
        var want = 0L
        for (i in 0 until per) want += i and 127
        check(total.get() == want * producers, "sum ${total.get()}")
        doubleArrayOf(d.toDouble() / n)
    }

    /** One sender alternates between channels a and b; the receiver selects over both: {ns per op}. */
    @JvmStatic
    fun select(n: Int, capacity: Int): Double = run {
        val a = Channel<Int>(capacity)
        val b = Channel<Int>(capacity)
        launch {
            for (i in 0 until n) if (i and 1 == 0) a.send(i) else b.send(i)
        }
        val t0 = System.nanoTime()
        var s = 0L
        repeat(n) {
            s += select<Int> {
                a.onReceive { it }
                b.onReceive { -it }
            }
        }
        val d = System.nanoTime() - t0
        if (n % 2 == 0) check(s == -(n / 2).toLong(), "select sum $s")
        d.toDouble() / n
    }

    /** thread-ring: 503 coroutines in a ring of rendezvous channels pass a countdown token: {ns per hop}. */
    @JvmStatic
    fun threadRing(hops: Int): DoubleArray = run {
        val ring = 503
        val chans = Array(ring) { Channel<Int>() }
        val result = CompletableDeferred<Int>()
        val jobs = ArrayList<Job>()
        for (i in 0 until ring) {
            val inCh = chans[i]
            val out = chans[(i + 1) % ring]
            jobs += launch {
                while (true) {
                    val t = inCh.receive()
                    if (t == 0) {
                        result.complete(i + 1)
                        return@launch
                    }
                    out.send(t - 1)
                }
            }
        }
        val t0 = System.nanoTime()
        chans[0].send(hops)
        val id = result.await()
        val d = System.nanoTime() - t0
        jobs.forEach { it.cancel() }
        check(id == hops % ring + 1, "winner $id")
        doubleArrayOf(d.toDouble() / hops)
    }

    /** Prime sieve: a chain of filter coroutines over rendezvous channels, primes below limit: {ms}. */
    @JvmStatic
    fun sieve(limit: Int, wantPrimes: Int): DoubleArray = run {
        val t0 = System.nanoTime()
        var ch: ReceiveChannel<Int> = Channel<Int>().also { gen ->
            launch {
                for (i in 2 until limit) gen.send(i)
                gen.close()
            }
        }
        var count = 0
        while (true) {
            val p = ch.receiveCatching().getOrNull() ?: break
            count++
            val inCh = ch
            val out = Channel<Int>()
            launch {
                for (i in inCh) if (i % p != 0) out.send(i)
                out.close()
            }
            ch = out
        }
        val d = System.nanoTime() - t0
        check(count == wantPrimes, "primes $count want $wantPrimes")
        doubleArrayOf(d / 1e6)
    }

    /** g coroutines each lock/unlock a kotlinx Mutex per times around a counter: {ns per lock+unlock}. */
    @JvmStatic
    fun mutex(g: Int, per: Int): DoubleArray = run {
        val mu = Mutex()
        var counter = 0L
        val start = CompletableDeferred<Unit>()
        var t0 = 0L
        coroutineScope {
            repeat(g) {
                launch {
                    start.await()
                    repeat(per) {
                        mu.lock()
                        counter++
                        mu.unlock()
                    }
                }
            }
            t0 = System.nanoTime()
            start.complete(Unit)
        }
        val d = System.nanoTime() - t0
        check(counter == g.toLong() * per, "counter $counter")
        doubleArrayOf(d.toDouble() / (g.toLong() * per))
    }

    /** WaitGroup fan-out analog: n coroutines launched in one scope, each counts; the scope waits: {ns per coroutine}. */
    @JvmStatic
    fun fanOut(n: Int): DoubleArray = run {
        val count = AtomicInteger()
        val t0 = System.nanoTime()
        coroutineScope {
            repeat(n) { launch { count.incrementAndGet() } }
        }
        val d = System.nanoTime() - t0
        check(count.get() == n, "count ${count.get()}")
        doubleArrayOf(d.toDouble() / n)
    }

    /**
     * Context-tree analog: a tree of n Jobs (node i's parent is node (i-1)/10), one coroutine per
     * node waiting for its cancellation; cancel the root: {build ns per node, cancel ms}.
     */
    @JvmStatic
    fun ctxTree(n: Int): DoubleArray = run {
        val jobs = arrayOfNulls<Job>(n)
        val started = AtomicInteger()
        val finished = AtomicInteger()
        val allStarted = CompletableDeferred<Unit>()
        val allDone = CompletableDeferred<Unit>()
        val t0 = System.nanoTime()
        for (i in 0 until n) {
            val job = Job(if (i == 0) null else jobs[(i - 1) / 10])
            jobs[i] = job
            launch(job) {
                if (started.incrementAndGet() == n) allStarted.complete(Unit)
                try {
                    awaitCancellation()
                } catch (e: CancellationException) {
                    if (finished.incrementAndGet() == n) allDone.complete(Unit)
                    throw e
                }
            }
        }
        allStarted.await()
        val t1 = System.nanoTime()
        jobs[0]!!.cancel()
        allDone.await()
        val t2 = System.nanoTime()
        for (j in jobs) check(j!!.isCancelled, "not cancelled")
        doubleArrayOf((t1 - t0).toDouble() / n, (t2 - t1) / 1e6)
    }

    /** n coroutines each delay(1 + i % 10 ms): {ns per timer, whole round / n}. */
    @JvmStatic
    fun sleepers(n: Int): DoubleArray = run {
        val woke = AtomicInteger()
        val t0 = System.nanoTime()
        coroutineScope {
            for (i in 0 until n) {
                launch {
                    delay(1L + i % 10)
                    woke.incrementAndGet()
                }
            }
        }
        val d = System.nanoTime() - t0
        check(woke.get() == n, "woke ${woke.get()}")
        doubleArrayOf(d.toDouble() / n)
    }
}
