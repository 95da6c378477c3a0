package io.fleetrun.loadtest.probe;

import java.lang.management.ManagementFactory;

/**
 * The worker's figures read from /proc: CPU from {@code stat}, RSS and threads from {@code
 * status}, open fds from {@code fd/}, zombie children from every process's {@code stat}, and task
 * processes from every process's {@code environ} (those carrying the worker's mark, descendants
 * and escapees included; other children of the process, such as an embedded broker JVM, are not
 * task processes). When the worker is this JVM (embedded mode) the heap comes from the JVM itself
 * and {@link #heapAfterGc} runs a full collection; for another process both are unknown (-1).
 *
 * <p>Thread-safe; each sample reads all of /proc (a few ms).
 */
public final class ProcProbe implements WorkerProbe {
  private final long pid;
  private final boolean self;
  private final String label;
  private long lastTicks = -1;
  private long lastNanos;

  /**
   * @param pid the worker's process
   * @param label how reports name this process, e.g. {@code this JVM: worker + driver}
   */
  public ProcProbe(long pid, String label) {
    this.pid = pid;
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
    int[] tasks = ProcFiles.taskProcessesAndZombies(pid);
    long heap = self ? ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() : -1;
    return new WorkerSample(System.currentTimeMillis(), cores, ProcFiles.statusField(status, "VmRSS"), heap,
        ProcFiles.openFds(pid), (int) ProcFiles.statusField(status, "Threads"), tasks[1], tasks[0]);
  }

  @Override
  public String source() {
    return "/proc/" + pid + " (" + label + ")";
  }

  @Override
  public long heapCommittedBytes() {
    return self ? ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() : -1;
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
