package dev.goloom;

import static dev.goloom.Select.recv;
import static dev.goloom.Select.send;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Go's test/chan/powser1.go (Doug McIlroy's power series, "Squinting at Power Series"), ported
 * to goloom: a power series is a demand channel pair down which rational coefficients flow on
 * request, one goroutine per operator. The operators keep Go's names and demand protocol
 * (a value on {@code req}, then the coefficient on {@code dat}); a coefficient with denominator
 * 0 marks the end of a finite series. Every channel operation goes through a {@link Halt} so a
 * test can end the program's goroutines, which Go's test leaves to process exit.
 *
 * <p>Beyond powser1 this adds {@link #revert} (series reversion, the operator powser1 has only
 * in a comment), {@link #tail} and {@link #take}.
 */
final class PowerSeries {

    /** A rational; {@code den == 0} is the end mark ({@link #FINIS}). */
    record Rat(long num, long den) {
        static Rat of(long u, long v) {
            long g = gcd(u, v);
            return v > 0 ? new Rat(u / g, v / g) : new Rat(-u / g, -v / g);
        }

        static Rat of(long u) {
            return of(u, 1);
        }

        boolean end() {
            return den == 0;
        }

        @Override
        public String toString() {
            return end() ? "end" : den == 1 ? Long.toString(num) : num + "/" + den;
        }
    }

    static final Rat ZERO = Rat.of(0);
    static final Rat ONE = Rat.of(1);
    static final Rat FINIS = new Rat(1, 0);

    static long gcd(long u, long v) {
        u = Math.abs(u);
        v = Math.abs(v);
        while (u != 0) {
            long t = v % u;
            v = u;
            u = t;
        }
        return v == 0 ? 1 : v;
    }

    static Rat add(Rat u, Rat v) {
        long g = gcd(u.den, v.den);
        return Rat.of(Math.addExact(Math.multiplyExact(u.num, v.den / g), Math.multiplyExact(v.num, u.den / g)),
                Math.multiplyExact(u.den, v.den / g));
    }

    static Rat mul(Rat u, Rat v) {
        long g1 = gcd(u.num, v.den);
        long g2 = gcd(u.den, v.num);
        return new Rat(Math.multiplyExact(u.num / g1, v.num / g2), Math.multiplyExact(u.den / g2, v.den / g1));
    }

    static Rat neg(Rat u) {
        return Rat.of(-u.num, u.den);
    }

    static Rat sub(Rat u, Rat v) {
        return add(u, neg(v));
    }

    static Rat inv(Rat u) {
        if (u.num == 0) {
            throw new ArithmeticException("zero divide in inv");
        }
        return Rat.of(u.den, u.num);
    }

    /** A demand channel: a request on {@code req} asks for the next coefficient on {@code dat}. */
    record Dch(Chan<Integer> req, Chan<Rat> dat, int nam) {
    }

    private final Halt h;
    private final AtomicInteger seqno = new AtomicInteger();
    private final AtomicInteger chnameserial = new AtomicInteger();

    PowerSeries(Halt h) {
        this.h = h;
    }

    Dch mkdch() {
        return new Dch(Chan.make(), Chan.make(), chnameserial.getAndIncrement());
    }

    Dch[] mkdch2() {
        return new Dch[] {mkdch(), mkdch()};
    }

    // --------------------------------------------------------------- the demand protocol

    // split reads one demand channel and replicates it onto two that may be read at different
    // rates. A generation of dosplit starts at the first demand for a coefficient and ends once
    // that coefficient went to both outputs; the newest generation serves out[0] (renamed so),
    // the oldest serves out[1], and a release on `wait` passes out[1] to the next newer one.
    void dosplit(Dch in, Dch[] out, Chan<Integer> wait) {
        boolean both = false;
        if (h.select(recv(out[0].req(), v -> { }), recv(wait, v -> { })) == 1) {
            both = true;
            if (h.select(recv(out[0].req(), v -> { }), recv(out[1].req(), v -> { })) == 1) {
                Dch t = out[0];
                out[0] = out[1];
                out[1] = t;
            }
        }
        h.send(in.req(), seqno.incrementAndGet());
        Chan<Integer> release = Chan.make();
        h.go(() -> dosplit(in, out, release));
        Rat dat = h.recv(in.dat());
        h.send(out[0].dat(), dat);
        if (!both) {
            h.recv(wait);
        }
        h.recv(out[1].req());
        h.send(out[1].dat(), dat);
        h.send(release, 0);
    }

    void split(Dch in, Dch[] out) {
        // dosplit renames its outputs by swapping them in place; Go's callers share that array
        // and read it before any swap can happen. Here the generations get their own copy, so the
        // caller's out[0] and out[1] stay the series they were.
        Dch[] mine = out.clone();
        Chan<Integer> release = Chan.make();
        h.go(() -> dosplit(in, mine, release));
        h.send(release, 0);
    }

    void put(Rat dat, Dch out) {
        h.recv(out.req());
        h.send(out.dat(), dat);
    }

    Rat get(Dch in) {
        h.send(in.req(), seqno.incrementAndGet());
        return h.recv(in.dat());
    }

    /** One coefficient from each of two series, requested and collected in whatever order they come. */
    Rat[] get2(Dch in0, Dch in1) {
        Chan<Integer> req0 = in0.req();
        Chan<Integer> req1 = in1.req();
        Chan<Rat> dat0 = null;
        Chan<Rat> dat1 = null;
        Rat[] out = new Rat[2];
        for (int n = 4; n > 0; n--) {
            int s = seqno.incrementAndGet();
            switch (h.select(send(req0, s, null), send(req1, s, null),
                    recv(dat0, v -> out[0] = v), recv(dat1, v -> out[1] = v))) {
                case 0 -> {
                    dat0 = in0.dat();
                    req0 = null;
                }
                case 1 -> {
                    dat1 = in1.dat();
                    req1 = null;
                }
                case 2 -> dat0 = null;
                default -> dat1 = null;
            }
        }
        return out;
    }

    void copy(Dch in, Dch out) {
        for (;;) {
            h.recv(out.req());
            h.send(out.dat(), get(in));
        }
    }

    void repeat(Rat dat, Dch out) {
        for (;;) {
            put(dat, out);
        }
    }

    // --------------------------------------------------------------- reading a series

    /** The first n coefficients (fewer if the series ends; the end mark is not included). */
    java.util.List<Rat> take(Dch u, int n) {
        java.util.List<Rat> r = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Rat x = get(u);
            if (x.end()) {
                break;
            }
            r.add(x);
        }
        return r;
    }

    /** Evaluates n terms of U at x = c (Horner, as Go's eval). */
    Rat eval(Rat c, Dch u, int n) {
        if (n == 0) {
            return ZERO;
        }
        Rat y = get(u);
        if (y.end()) {
            return ZERO;
        }
        return add(y, mul(c, eval(c, u, n - 1)));
    }

    // --------------------------------------------------------------- constructors and operators

    Dch[] Split(Dch u) {
        Dch[] uu = mkdch2();
        h.go(() -> split(u, uu));
        return uu;
    }

    Dch Add(Dch u, Dch v) {
        Dch z = mkdch();
        h.go(() -> {
            for (;;) {
                h.recv(z.req());
                Rat[] uv = get2(u, v);
                switch ((uv[0].end() ? 1 : 0) + (uv[1].end() ? 2 : 0)) {
                    case 0 -> h.send(z.dat(), add(uv[0], uv[1]));
                    case 1 -> {
                        h.send(z.dat(), uv[1]);
                        copy(v, z);
                    }
                    case 2 -> {
                        h.send(z.dat(), uv[0]);
                        copy(u, z);
                    }
                    default -> h.send(z.dat(), FINIS);
                }
            }
        });
        return z;
    }

    Dch Cmul(Rat c, Dch u) {
        Dch z = mkdch();
        h.go(() -> {
            for (;;) {
                h.recv(z.req());
                Rat x = get(u);
                if (x.end()) {
                    break;
                }
                h.send(z.dat(), mul(c, x));
            }
            h.send(z.dat(), FINIS);
        });
        return z;
    }

    Dch Sub(Dch u, Dch v) {
        return Add(u, Cmul(neg(ONE), v));
    }

    /** U times x^n. */
    Dch Monmul(Dch u, int n) {
        Dch z = mkdch();
        h.go(() -> {
            for (int i = n; i > 0; i--) {
                put(ZERO, z);
            }
            copy(u, z);
        });
        return z;
    }

    Dch Xmul(Dch u) {
        return Monmul(u, 1);
    }

    Dch Rep(Rat c) {
        Dch z = mkdch();
        h.go(() -> repeat(c, z));
        return z;
    }

    /** The monomial c x^n. */
    Dch Mon(Rat c, int n) {
        Dch z = mkdch();
        h.go(() -> {
            if (c.num() != 0) {
                for (int i = n; i > 0; i--) {
                    put(ZERO, z);
                }
                put(c, z);
            }
            put(FINIS, z);
        });
        return z;
    }

    /** c + x U. */
    Dch Shift(Rat c, Dch u) {
        Dch z = mkdch();
        h.go(() -> {
            put(c, z);
            copy(u, z);
        });
        return z;
    }

    /** U without its constant term, divided by x. */
    Dch tail(Dch u) {
        Dch z = mkdch();
        h.go(() -> {
            h.recv(z.req());
            get(u);
            h.send(z.dat(), get(u));
            copy(u, z);
        });
        return z;
    }

    // Multiply: with U = u + x UU and V = v + x VV, UV = uv + x (u VV + v UU) + x^2 UU VV.
    Dch Mul(Dch u, Dch v) {
        Dch z = mkdch();
        h.go(() -> {
            h.recv(z.req());
            Rat[] uv = get2(u, v);
            if (uv[0].end() || uv[1].end()) {
                h.send(z.dat(), FINIS);
                return;
            }
            h.send(z.dat(), mul(uv[0], uv[1]));
            Dch[] uu = Split(u);
            Dch[] vv = Split(v);
            Dch w = Add(Cmul(uv[0], vv[0]), Cmul(uv[1], uu[0]));
            h.recv(z.req());
            h.send(z.dat(), get(w));
            copy(Add(w, Mul(uu[1], vv[1])), z);
        });
        return z;
    }

    Dch Diff(Dch u) {
        Dch z = mkdch();
        h.go(() -> {
            h.recv(z.req());
            Rat x = get(u);
            if (!x.end()) {
                for (int i = 1; ; i++) {
                    x = get(u);
                    if (x.end()) {
                        break;
                    }
                    h.send(z.dat(), mul(Rat.of(i), x));
                    h.recv(z.req());
                }
            }
            h.send(z.dat(), FINIS);
        });
        return z;
    }

    /** The integral of U with constant of integration c. */
    Dch Integ(Rat c, Dch u) {
        Dch z = mkdch();
        h.go(() -> {
            put(c, z);
            for (int i = 1; ; i++) {
                h.recv(z.req());
                Rat x = get(u);
                if (x.end()) {
                    break;
                }
                h.send(z.dat(), mul(Rat.of(1, i), x));
            }
            h.send(z.dat(), FINIS);
        });
        return z;
    }

    /**
     * (1 + x)^c by the binomial theorem; finite when c is a natural number. Go's Binom stops when
     * c reaches 0, one term early ((1+x)^3 gives 1 3 3); this one stops when the term is 0.
     */
    Dch Binom(Rat c0) {
        Dch z = mkdch();
        h.go(() -> {
            Rat c = c0;
            Rat t = ONE;
            for (int n = 1; t.num() != 0; n++) {
                put(t, z);
                t = mul(mul(t, c), Rat.of(1, n));
                c = sub(c, ONE);
            }
            put(FINIS, z);
        });
        return z;
    }

    // Reciprocal: with U = u + x UU and Z = z + x ZZ, (u + x UU)(z + x ZZ) = 1 gives z = 1/u and
    // ZZ = -UU (z + x ZZ) / u: a series defined by itself, closed through split.
    Dch Recip(Dch u) {
        Dch z = mkdch();
        h.go(() -> {
            Dch[] zz = mkdch2();
            h.recv(z.req());
            Rat z0 = inv(get(u));
            h.send(z.dat(), z0);
            split(Mul(Cmul(neg(z0), u), Shift(z0, zz[0])), zz);
            copy(zz[1], z);
        });
        return z;
    }

    // exp(U) for U with constant term 0 (the constant term is ignored): Z = exp(U) satisfies
    // Z' = Z U', so Z = 1 + integral(Z U'), again closed through split.
    Dch Exp(Dch u) {
        Dch[] zz = mkdch2();
        split(Integ(ONE, Mul(zz[0], Diff(u))), zz);
        return zz[1];
    }

    // Substitute V for x in U, V's constant term 0 (ignored): with U = u + x UU,
    // U(V) = u + V UU(V) = u + x (V/x) UU(V).
    Dch Subst(Dch u, Dch v) {
        Dch z = mkdch();
        h.go(() -> {
            Dch[] vv = Split(v);
            h.recv(z.req());
            Rat x = get(u);
            h.send(z.dat(), x);
            if (!x.end()) {
                if (get(vv[0]).end()) {
                    put(FINIS, z);
                } else {
                    copy(Mul(vv[0], Subst(u, vv[1])), z);
                }
            }
        });
        return z;
    }

    /** U(c0 x^n): the i-th coefficient times c0^i, each followed by n-1 zeros. */
    Dch MonSubst(Dch u, Rat c0, int n) {
        Dch z = mkdch();
        h.go(() -> {
            Rat c = ONE;
            for (;;) {
                h.recv(z.req());
                Rat x = get(u);
                if (x.end()) {
                    h.send(z.dat(), FINIS);
                    return;
                }
                h.send(z.dat(), mul(x, c));
                c = mul(c, c0);
                for (int i = 1; i < n; i++) {
                    h.recv(z.req());
                    h.send(z.dat(), ZERO);
                }
            }
        });
        return z;
    }

    // Reversion (powser1 has it only in a comment): for U with u0 = 0 and u1 != 0, the Z with
    // U(Z(x)) = x. With U = x UU, Z UU(Z) = x, so Z = x Recip(UU(Z)); Z's constant term is 0, as
    // Subst requires, and each coefficient of Z needs only earlier ones, so split closes the loop.
    Dch revert(Dch u) {
        Dch[] zz = mkdch2();
        split(Xmul(Recip(Subst(tail(u), zz[0]))), zz);
        return zz[1];
    }
}
