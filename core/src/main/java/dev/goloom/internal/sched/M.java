package dev.goloom.internal.sched;

/** An M: a carrier thread of the GMP scheduler (filled in by the scheduler). */
final class M {
}
