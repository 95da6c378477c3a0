package io.fleetrun.loadtest.probe;

/**
 * The whole host's CPU use between two readings of /proc/stat, in percent of all cores (100 =
 * every core busy). Busy is everything but idle and iowait.
 */
public final class HostCpu {
  private final long busy;
  private final long total;

  private HostCpu(long busy, long total) {
    this.busy = busy;
    this.total = total;
  }

  public static HostCpu read() {
    long[] t = ProcFiles.hostCpuTicks();
    return new HostCpu(t[0], t[1]);
  }

  /** Percent busy from {@code earlier} to this reading; NaN when either failed or no time passed. */
  public double percentSince(HostCpu earlier) {
    if (busy < 0 || earlier.busy < 0 || total <= earlier.total) {
      return Double.NaN;
    }
    return 100.0 * (busy - earlier.busy) / (total - earlier.total);
  }
}
