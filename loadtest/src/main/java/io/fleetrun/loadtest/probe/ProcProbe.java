package io.fleetrun.loadtest.probe;

import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * The worker's figures read from /proc: CPU from {@code stat}, RSS and threads from {@code
 * status}, open fds from {@code fd/}, live and zombie children from every process's {@code stat}.
 * When the worker is this JVM (embedded mode) the heap comes from the JVM itself and {@link
 * #heapAfterGc} runs a full collection; for another process both are unknown (-1).
 *
 * <p>Children that are not task processes (an embedded broker or coordinator JVM started by this
 * process) are left out by pid. Thread-safe; each sample reads all of /proc (a few ms).
 */
public final class ProcProbe implements WorkerProbe {
  private final long pid;
  private final Set<Long> notTasks;
  private final boolean self;
  private final String label;
  private long lastTicks = -1;
  private long lastNanos;

  /**
   * @param pid the worker's process
   * @param notTasks children of {@code pid} that are not task processes
   * @param label how reports name this process, e.g. {@code this JVM: worker + driver}
   */
  public ProcProbe(long pid, Set<Long> notTasks, String label) {
    this.pid = pid;
    this.notTasks = Set.copyOf(notTasks);
    this.self = pid == ProcessHandle.current().pid();
    this.label = label;
  }

  @Override
  public synchronized WorkerSample sample() {
    long now = System.nanoTime();
    long ticks = ProcFiles.stat(pid).map(ProcFiles.Stat::cpuTicks).orElse(-1L);
    double cores = Double.NaN;
    if (ticks >= 0 && lastTicks >= 0 && now > lastNanos) {
      cores = (ticks - lastTicks) / ProcFiles.TICKS_PER_SECOND / ((now - lastNanos) / 1e9);
    }
    lastTicks = ticks;
    lastNanos = now;
    String status = ProcFiles.status(pid);
    int[] children = ProcFiles.children(pid, notTasks::contains);
    long heap = self ? ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() : -1;
    return new WorkerSample(System.currentTimeMillis(), cores, ProcFiles.statusField(status, "VmRSS"), heap,
        ProcFiles.openFds(pid), (int) ProcFiles.statusField(status, "Threads"), children[1], children[0]);
  }

  @Override
  public String source() {
    return "/proc/" + pid + " (" + label + ")";
  }

  @Override
  public long heapAfterGc() {
    if (!self) {
      return -1;
    }
    System.gc(); // explicit on purpose: the soak's heap series is of live objects only
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
