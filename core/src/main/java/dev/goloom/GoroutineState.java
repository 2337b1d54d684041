package dev.goloom;

/**
 * The state of a goroutine, as Go's runtime reports it in a traceback.
 *
 * <table class="striped">
 * <caption>States and Go's equivalents</caption>
 * <tr><th>state</th><th>Go</th><th>meaning</th></tr>
 * <tr><td>RUNNABLE</td><td>_Grunnable</td><td>in a run queue, waiting for a P</td></tr>
 * <tr><td>RUNNING</td><td>_Grunning</td><td>mounted on a carrier thread (an M)</td></tr>
 * <tr><td>WAITING</td><td>_Gwaiting</td><td>parked; {@link GoroutineInfo#waitReason()} says on what</td></tr>
 * <tr><td>SYSCALL</td><td>_Gsyscall</td><td>running but stuck in a call that pins its carrier
 *     (file I/O, a native call); its P has been handed to another M</td></tr>
 * <tr><td>DEAD</td><td>_Gdead</td><td>finished</td></tr>
 * </table>
 */
public enum GoroutineState { RUNNABLE, RUNNING, WAITING, SYSCALL, DEAD }
