package io.fleetrun.loadtest.soak;

/**
 * The series a soak watches, each with its tolerance and why. Slopes are per 10,000 tasks and
 * judged by their lower ~95% bound (slope - 2 standard errors), so noise alone does not fail a
 * run while any per-task leak (10,000 per 10,000 tasks) fails at once.
 */
public enum Series {
  /**
   * Open fds of the worker process: at a quiet point every child's pipes and pidfd are closed and
   * only long-lived fds remain (jars, sockets to Kafka, epoll). 2 per 10k allows a jar opened
   * late by the class loader; one fd leaked per 5,000 tasks still fails a long soak.
   */
  FDS("fds", 2, false, 1, true, 0),
  /**
   * Threads of the worker process: flat by design (one epoll thread serves every child). Pools
   * that start lazily (Vert.x workers, JIT compiler threads) grow early and stop; the warm-up
   * excludes most of that, 2 per 10k the rest.
   */
  THREADS("threads", 2, false, 1, true, 0),
  /**
   * Resident memory, shown but not judged as a whole: it moves with the GC's heap sizing (a JVM
   * with default ergonomics grows its heap by tens of MB over a short run without any leak); the
   * heap is judged by {@link #HEAP_AFTER_GC}, the rest by {@link #RSS_OUTSIDE_HEAP}.
   */
  RSS("rss", 16 << 20, false, 1 << 20, false, 0),
  /**
   * Resident memory less the heap's committed size (all of RSS when that is unknown): native
   * allocations, thread stacks, the JIT's code cache and malloc arenas. Only a trend above 16 MiB
   * per 10k tasks (~1.7 KB per task) counts as a leak, and only once the fitted growth over the
   * judged window passes 16 MiB too: a JVM's code cache and arenas still grow by several MiB
   * after a short warm-up (6.5 MiB over 1,300 tasks of a 2,000-task test soak, which a slope alone
   * extrapolates to 42 MiB per 10k), so a short soak cannot tell a small native leak from that.
   */
  RSS_OUTSIDE_HEAP("rss_outside_heap", 16 << 20, false, 1 << 20, true, 16 << 20),
  /**
   * Heap in use right after a full GC, i.e. live objects: 2 MiB per 10k tasks (~200 bytes per
   * task, about what one retained map entry with a task id costs), once the growth over the
   * judged window passes 4 MiB (caches that fill once).
   */
  HEAP_AFTER_GC("heap_after_gc", 2 << 20, false, 1 << 20, true, 4 << 20),
  /** Zombie children at a quiet point: every child is reaped before its task is reported, so any is a leak. */
  ZOMBIES("zombies", 0, true, 1, true, 0),
  /**
   * Processes carrying the worker's task mark at a quiet point (descendants that left their
   * process group included): every task's tree is gone before it is reported, so any is a leak.
   */
  TASK_PROCESSES("task_processes", 0, true, 1, true, 0);

  private final String label;
  private final double tolerancePer10k;
  private final boolean mustStayZero;
  private final double unit;
  private final boolean judged;
  private final double noiseFloor;

  Series(String label, double tolerancePer10k, boolean mustStayZero, double unit, boolean judged,
      double noiseFloor) {
    this.noiseFloor = noiseFloor;
    this.label = label;
    this.tolerancePer10k = tolerancePer10k;
    this.mustStayZero = mustStayZero;
    this.unit = unit;
    this.judged = judged;
  }

  /** False for series reported for people but not held to a tolerance. */
  public boolean judged() {
    return judged;
  }

  public String label() {
    return label;
  }

  /** Largest growth per 10,000 tasks allowed (in bytes for sizes); for zero series: none. */
  public double tolerancePer10k() {
    return tolerancePer10k;
  }

  /**
   * Growth over the judged window (fitted slope times the window) below which no slope is a leak:
   * the noise of a series that a short soak cannot tell from a trend. 0 for counts.
   */
  public double noiseFloor() {
    return noiseFloor;
  }

  /** True for series judged by their values (any sample above 0 fails), not by a slope. */
  public boolean mustStayZero() {
    return mustStayZero;
  }

  /** The unit reports print the series in: 1 for counts, MiB for sizes. */
  public double unit() {
    return unit;
  }

  public String unitName() {
    return unit == 1 ? "" : " MiB";
  }
}
