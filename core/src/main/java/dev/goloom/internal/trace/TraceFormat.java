package dev.goloom.internal.trace;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The binary layout of a goloom execution trace file, and its varint codec.
 *
 * <pre>
 * file    = header record* end
 * header  = "GOLOOMTRACE" version:u8(=2) epochNanos:i64 baseNanos:i64 maxProcs:uvarint
 * record  = 'S' id:uvarint len:uvarint utf8[len]       a string of the string table
 *         | 'R' reason:uvarint string:uvarint          WaitReason ordinal -&gt; its Go words
 *         | 'N' goid:uvarint string:uvarint            a goroutine's name
 *         | 'E' p:svarint count:uvarint event[count]   a batch of one P's buffer (p = -1: shared)
 * event   = kind:u8 dts:svarint goid:uvarint arg:svarint   a timed event
 *         | (kind|0x80):u8 goid:uvarint arg:svarint        an untimed one (Trace.UNTIMED)
 * end     = 'Z' endTs:svarint
 * </pre>
 * Timestamps are {@code System.nanoTime()} values relative to {@code baseNanos}; inside a batch
 * each timed event's {@code dts} is relative to the previous timed event of the batch (the
 * first: to 0). An untimed event has only its place among its P's events; a reader spreads
 * the untimed events between two timed ones of the same P evenly over that interval.
 * Version 1 files (before untimed events) read the same way.
 * {@code epochNanos} is the wall clock at {@code baseNanos}, for display. Batches of different
 * Ps interleave in the file in the order they filled; a reader sorts events by time.
 * uvarint is LEB128 (7 bits a byte, high bit = more); svarint is zig-zag then uvarint, as in
 * protobuf and Go's encoding/binary.
 */
public final class TraceFormat {
    /* Implementation notes
     *
     * Overview: constants and the varint codec shared by TraceRecorder (writes: the Ps encode
     *   events into their chunks with put) and TraceData (reads); Enc is the writer thread's
     *   private buffered output.
     * Lineage: Go's runtime/trace wire format (a header, a string table, per-P batches of
     *   LEB128-coded events with time deltas), simplified to one generation.
     * Invariants: I1 a record is never split by another (the writer emits a string's 'S' record
     *   before the record that names its id); I2 every batch holds events of one P; I3 untimed
     *   events appear only in batches of a P (p >= 0): the shared buffer mixes threads, so an
     *   event's place in it says nothing about its time.
     * Ownership & locking: Enc belongs to the writer thread alone.
     * Memory ordering: none (single-threaded use).
     * Rejected alternatives: Java serialization or JSON (10x larger, slow); fixed-width records
     *   (about 26 bytes an event against about 6.6).
     */
    private TraceFormat() {
    }

    static final byte[] MAGIC = "GOLOOMTRACE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** the oldest version a reader accepts (1 differs only in having no untimed events). */
    static final int MIN_VERSION = 1;
    /** set in an event's kind byte when the event carries no dts. */
    static final int UNTIMED_BIT = 0x80;
    static final int STRING = 'S', REASON = 'R', NAME = 'N', EVENTS = 'E', END = 'Z';

    /**
     * A buffered encoder owned by one thread (the trace writer): plain array stores, one
     * OutputStream.write per 64 KB. DataOutputStream over BufferedOutputStream takes a lock per
     * byte, which made the writer slower than the Ps feeding it.
     */
    static final class Enc implements java.io.Closeable {
        private final java.io.OutputStream sink;
        private final byte[] buf = new byte[1 << 16];
        private int pos;

        Enc(java.io.OutputStream sink) {
            this.sink = sink;
        }

        private void room(int n) throws IOException {
            if (pos + n > buf.length) {
                flushBuffer();
            }
        }

        private void flushBuffer() throws IOException {
            sink.write(buf, 0, pos);
            pos = 0;
        }

        void write(int b) throws IOException {
            room(1);
            buf[pos++] = (byte) b;
        }

        void write(byte[] b) throws IOException {
            write(b, b.length);
        }

        /** Writes b's first {@code len} bytes. */
        void write(byte[] b, int len) throws IOException {
            if (len > buf.length - pos) {
                flushBuffer();
                if (len > buf.length) {
                    sink.write(b, 0, len);
                    return;
                }
            }
            System.arraycopy(b, 0, buf, pos, len);
            pos += len;
        }

        void writeLong(long v) throws IOException {
            room(8);
            for (int i = 7; i >= 0; i--) {
                buf[pos++] = (byte) (v >>> (i * 8));
            }
        }

        void uvarint(long v) throws IOException {
            room(10);
            pos = put(buf, pos, v);
        }

        void svarint(long v) throws IOException {
            uvarint(zigzag(v));
        }

        void flush() throws IOException {
            flushBuffer();
            sink.flush();
        }

        @Override
        public void close() throws IOException {
            try {
                flushBuffer();
            } finally {
                sink.close();
            }
        }
    }

    /** Writes v as a uvarint into b at i (room for 10 bytes is the caller's); returns the end. */
    static int put(byte[] b, int i, long v) {
        while ((v & ~0x7FL) != 0) {
            b[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[i++] = (byte) v;
        return i;
    }

    /** Zig-zag: small negative and positive numbers both become small unsigned ones. */
    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long uvarint(DataInputStream in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("goloom trace: truncated varint");
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("goloom trace: malformed varint");
    }

    static long svarint(DataInputStream in) throws IOException {
        long u = uvarint(in);
        return (u >>> 1) ^ -(u & 1);
    }
}
