package io.fleetrun.loadtest.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples a {@link WorkerProbe} on a thread of its own every {@code intervalMs} and sums up the
 * window between {@link #begin} and {@link #end}. Thread-safe; {@link #close} stops the thread.
 */
public final class ResourceSampler implements AutoCloseable {
  private final WorkerProbe probe;
  private final ScheduledExecutorService timer;
  private final List<WorkerSample> window = new ArrayList<>();
  private HostCpu hostAtBegin;
  private long beganAtMs;
  private boolean open;

  public ResourceSampler(WorkerProbe probe, long intervalMs) {
    this.probe = probe;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loadtest-sampler");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
  }

  /** Starts a window: earlier samples are dropped; the CPU baselines are taken now. */
  public synchronized void begin() {
    window.clear();
    probe.sample(); // the CPU figure of the next sample covers the window only
    probe.takeSpawnStats();
    hostAtBegin = HostCpu.read();
    beganAtMs = System.currentTimeMillis();
    open = true;
  }

  /** Ends the window with one last sample and sums it up. */
  public synchronized ResourceSummary end() {
    window.add(probe.sample());
    open = false;
    return summarize(window, beganAtMs, HostCpu.read().percentSince(hostAtBegin), probe.takeSpawnStats());
  }

  private synchronized void tick() {
    if (open) {
      window.add(probe.sample());
    }
  }

  /**
   * Sums up samples taken since {@code beganAtMs}; {@code hostCpuPct} is measured apart over the
   * same window. The worker's CPU is the mean of the samples' rates weighted by the time each covers.
   */
  static ResourceSummary summarize(List<WorkerSample> samples, long beganAtMs, double hostCpuPct, SpawnStats spawn) {
    double cpuSum = 0;
    double cpuMs = 0;
    long previousAt = beganAtMs;
    long rss = -1;
    long heap = -1;
    int fds = -1;
    int threads = -1;
    int zombies = -1;
    int childrenMax = -1;
    double childrenSum = 0;
    int childrenN = 0;
    for (WorkerSample s : samples) {
      long covers = Math.max(0, s.atMs() - previousAt);
      previousAt = s.atMs();
      if (!Double.isNaN(s.cpuCores())) {
        cpuSum += s.cpuCores() * covers;
        cpuMs += covers;
      }
      rss = Math.max(rss, s.rssBytes());
      heap = Math.max(heap, s.heapUsedBytes());
      fds = Math.max(fds, s.openFds());
      threads = Math.max(threads, s.threads());
      zombies = Math.max(zombies, s.zombies());
      if (s.liveChildren() >= 0) {
        childrenMax = Math.max(childrenMax, s.liveChildren());
        childrenSum += s.liveChildren();
        childrenN++;
      }
    }
    return new ResourceSummary(samples.size(), hostCpuPct, cpuMs == 0 ? Double.NaN : 100 * cpuSum / cpuMs, rss, heap,
        fds, threads, zombies, childrenN == 0 ? -1 : childrenSum / childrenN, childrenMax, spawn);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
