package io.fleetrun.loadtest.probe;

/**
 * Reads the worker's process figures: from /proc ({@link ProcProbe}) or from the worker's own
 * telemetry. Blocking (it reads files); call it from a sampler thread, never an event loop.
 * Implementations are thread-safe.
 */
public interface WorkerProbe {
  /** A probe that knows nothing (a remote fleet without a way to see its worker). */
  static WorkerProbe none(String why) {
    return new WorkerProbe() {
      @Override
      public WorkerSample sample() {
        return new WorkerSample(System.currentTimeMillis(), Double.NaN, -1, -1, -1, -1, -1, -1);
      }

      @Override
      public String source() {
        return "none: " + why;
      }
    };
  }

  /** The figures now; {@code cpuCores} covers the time since this probe's previous sample. */
  WorkerSample sample();

  /** Where the figures come from, for reports: e.g. {@code /proc/1234 (this JVM: worker + driver)}. */
  String source();

  /**
   * The worker's spawn latency (slot taken to child running) over the tasks that started since the
   * previous call, as the worker reported it; {@link SpawnStats#NONE} when this probe cannot see it.
   */
  default SpawnStats takeSpawnStats() {
    return SpawnStats.NONE;
  }

  /**
   * Heap in use right after a full collection, or -1 when this probe cannot collect the worker's
   * heap (a worker in another JVM). Expensive (a full GC): for the soak's samples only.
   */
  default long heapAfterGc() {
    return -1;
  }

  /** The Java heap's committed size now, or -1 when this probe cannot see the worker's JVM. */
  default long heapCommittedBytes() {
    return -1;
  }
}
