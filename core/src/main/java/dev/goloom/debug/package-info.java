/** Seeing inside: dumps, deadlock and leak detection, execution traces, the debug endpoint. */
package dev.goloom.debug;
