package io.fleetrun.loadtest.soak;

/**
 * The worker's figures at one quiet point of a soak: after {@code tasks} tasks finished and none
 * was in flight. Unknown figures are -1.
 *
 * @param heapAfterGcBytes heap in use right after a full collection (live objects only)
 * @param taskProcesses processes carrying the worker's task mark although no task is in flight
 */
public record SoakSample(long tasks, long atMs, int fds, int threads, long rssBytes, long heapAfterGcBytes,
    int zombies, int taskProcesses) {

  /** The value of one series in this sample. */
  public double value(Series s) {
    return switch (s) {
      case FDS -> fds;
      case THREADS -> threads;
      case RSS -> rssBytes;
      case HEAP_AFTER_GC -> heapAfterGcBytes;
      case ZOMBIES -> zombies;
      case TASK_PROCESSES -> taskProcesses;
    };
  }
}
