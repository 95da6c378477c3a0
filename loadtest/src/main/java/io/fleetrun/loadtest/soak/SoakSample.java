package io.fleetrun.loadtest.soak;

/**
 * The worker's figures at one quiet point of a soak: after {@code tasks} tasks finished and none
 * was in flight. Unknown figures are -1.
 *
 * @param heapAfterGcBytes heap in use right after a full collection (live objects only)
 * @param taskProcesses processes carrying the worker's task mark although no task is in flight
 * @param heapCommittedBytes the Java heap's committed size (what the GC sized it to), or -1
 */
public record SoakSample(long tasks, long atMs, int fds, int threads, long rssBytes, long heapAfterGcBytes,
    int zombies, int taskProcesses, long heapCommittedBytes) {

  /** A sample whose heap sizing is unknown (a worker in another JVM). */
  public SoakSample(long tasks, long atMs, int fds, int threads, long rssBytes, long heapAfterGcBytes, int zombies,
      int taskProcesses) {
    this(tasks, atMs, fds, threads, rssBytes, heapAfterGcBytes, zombies, taskProcesses, -1);
  }

  /** The value of one series in this sample. */
  public double value(Series s) {
    return switch (s) {
      case FDS -> fds;
      case THREADS -> threads;
      case RSS -> rssBytes;
      // memory outside the Java heap: native allocations, thread stacks, code, metaspace
      case RSS_OUTSIDE_HEAP -> rssBytes < 0 ? -1 : heapCommittedBytes < 0 ? rssBytes : rssBytes - heapCommittedBytes;
      case HEAP_AFTER_GC -> heapAfterGcBytes;
      case ZOMBIES -> zombies;
      case TASK_PROCESSES -> taskProcesses;
    };
  }
}
