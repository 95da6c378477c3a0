package io.fleetrun.loadtest.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The /proc probe on this real JVM, and how a window of samples is summed up. */
class ProbesTest {
  private static WorkerSample s(long at, double cpu, long rss, int fds, int threads, int children) {
    return new WorkerSample(at, cpu, rss, 10, fds, threads, 0, children);
  }

  @Test
  void aWindowWeighsCpuByTheTimeEachSampleCoversAndKeepsThePeaks() {
    // 0.5 core for 100 ms, then 1.0 core for 300 ms: 87.5% of a core; a repeated sample covers no time
    List<WorkerSample> w = List.of(s(1_100, 0.5, 100, 40, 30, 2), s(1_400, 1.0, 300, 60, 31, 4),
        s(1_400, 1.0, 300, 60, 31, 4));
    ResourceSummary r = ResourceSampler.summarize(w, 1_000, 42.0, SpawnStats.NONE);
    assertEquals(87.5, r.workerCpuPct(), 1e-9);
    assertEquals(300, r.rssMaxBytes());
    assertEquals(60, r.fdsMax());
    assertEquals(31, r.threadsMax());
    assertEquals(10.0 / 3, r.childrenAvg(), 1e-9);
    assertEquals(4, r.childrenMax());
    assertEquals(42.0, r.hostCpuPct());
  }

  @Test
  void unknownFiguresStayUnknown() {
    ResourceSummary r = ResourceSampler.summarize(
        List.of(new WorkerSample(5, Double.NaN, -1, -1, -1, -1, -1, -1)), 0, Double.NaN, SpawnStats.NONE);
    assertTrue(Double.isNaN(r.workerCpuPct()));
    assertEquals(-1, r.rssMaxBytes());
    assertEquals(-1, r.childrenAvg());
  }

  @Test
  void spawnLatencyOfIntervalsMergesByTaskCount() {
    SpawnStats s = SpawnStats.NONE.plus(10, 2, 5, 6).plus(30, 4, 9, 12).plus(0, 100, 100, 100);
    assertEquals(40, s.count());
    assertEquals(3.5, s.p50Ms(), 1e-9);
    assertEquals(9, s.p99MaxMs());
    assertEquals(12, s.maxMs());
  }

  @Test
  void procProbeReadsThisJvmAndCountsOnlyProcessesCarryingItsTaskMark() throws Exception {
    long self = ProcessHandle.current().pid();
    ProcProbe probe = new ProcProbe(self, "test JVM");
    WorkerSample before = probe.sample();
    assertTrue(before.rssBytes() > 10 << 20, "RSS " + before.rssBytes());
    assertTrue(before.threads() > 5, "threads " + before.threads());
    assertTrue(before.openFds() > 3, "fds " + before.openFds());
    assertTrue(before.heapUsedBytes() > 0);
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String mark = self + ":" + stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    ProcessBuilder marked = new ProcessBuilder("sleep", "30");
    marked.environment().put("FLEETRUN_SUPERVISOR", mark);
    ProcessBuilder other = new ProcessBuilder("sleep", "30");
    other.environment().put("FLEETRUN_SUPERVISOR", "1:12345"); // another worker's task
    Process a = marked.start();
    Process b = other.start();
    try {
      assertEquals(before.liveChildren() + 1, probe.sample().liveChildren());
    } finally {
      a.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      b.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertEquals(before.liveChildren(), probe.sample().liveChildren());
    assertTrue(probe.source().startsWith("/proc/" + self + " (test JVM)"), probe.source());
  }

  @Test
  void hostCpuBetweenTwoReadingsIsAPercentage() throws Exception {
    HostCpu a = HostCpu.read();
    long end = System.nanoTime() + 200_000_000;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + 1);
    }
    double pct = HostCpu.read().percentSince(a);
    assertTrue(pct > 0 && pct <= 100, "host CPU " + pct + " (" + x + ")");
  }
}
