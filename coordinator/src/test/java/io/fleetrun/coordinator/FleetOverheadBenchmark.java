package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetrun.common.Addresses;
import io.fleetrun.common.Json;
import io.fleetrun.common.VertxRuntime;
import io.fleetrun.common.testing.TestKafka;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark, not a test (surefire does not pick it up by name; it runs only when asked): what
 * 20 simulated workers publishing telemetry once a second cost a coordinator in CPU.
 *
 * <pre>
 * mvn -B -o -q -pl coordinator -am test -Dtest=FleetOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfleetrun.bench=true [-Dfleetrun.bench.seconds=60]
 * </pre>
 *
 * <p>One coordinator in this JVM (the broker runs in its own). Phase 1: the idle coordinator for
 * the given seconds. Phase 2: 20 workers' samples (the real record, encoded as the worker does)
 * published from one plain thread, evenly spread over each second, after a warm-up. The figure is
 * the process CPU of phase 2 minus phase 1, as a share of one core; the publishing thread's own
 * CPU (which in a real fleet is spent in the workers' processes) is reported apart. Prints and
 * writes {@code target/fleet-overhead.txt}.
 */
class FleetOverheadBenchmark {
  private static final int WORKERS = 20;

  @Test
  @EnabledIfSystemProperty(named = "fleetrun.bench", matches = "true")
  void telemetryOfTwentyWorkersAtOneHertz() throws Exception {
    long phaseMs = Long.getLong("fleetrun.bench.seconds", 60) * 1000;
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    CoordinatorConfig config = CoordinatorConfig.local(TestKafka.bootstrap(), 0);
    try (TestCoordinator c = TestCoordinator.deploy(VertxRuntime.create(), new CoordinatorVerticle(config), null)) {
      Thread.sleep(10_000); // start-up work settles (JIT, first lag polls)
      long cpu0 = os.getProcessCpuTime();
      long loops0 = eventLoopCpu(threads);
      long t0 = System.nanoTime();
      Thread.sleep(phaseMs);
      double idle = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
      double idleLoops = (eventLoopCpu(threads) - loops0) / (double) (System.nanoTime() - t0);

      AtomicLong publisherThread = new AtomicLong();
      ScheduledExecutorService sim = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-workers");
        publisherThread.set(t.getId());
        return t;
      });
      long start = System.currentTimeMillis();
      long[] seq = new long[1];
      sim.scheduleAtFixedRate(() -> {
        int i = (int) (seq[0]++ % WORKERS);
        long n = seq[0] / WORKERS;
        var t = TelemetrySamples.sample("sim-" + i, start, System.currentTimeMillis(), 1_000, n * 3, (int) (n % 8));
        c.vertx.eventBus().publish(Addresses.TELEMETRY, new JsonObject(Buffer.buffer(Json.write(t))));
      }, 0, 1_000_000 / WORKERS, TimeUnit.MICROSECONDS);
      try {
        Thread.sleep(15_000); // warm-up
        long pub0 = threads.getThreadCpuTime(publisherThread.get());
        long cpu1 = os.getProcessCpuTime();
        long loops1 = eventLoopCpu(threads);
        long t1 = System.nanoTime();
        Thread.sleep(phaseMs);
        long wall = System.nanoTime() - t1;
        double with = (os.getProcessCpuTime() - cpu1) / (double) wall;
        double withLoops = (eventLoopCpu(threads) - loops1) / (double) wall;
        double publishing = (threads.getThreadCpuTime(publisherThread.get()) - pub0) / (double) wall;
        JsonNode fleet = c.get("/v1/fleet").body();
        assertEquals(WORKERS, fleet.at("/totals/up").asInt(), "every simulated worker is in the table, UP");
        report(idle, with, publishing, idleLoops, withLoops, phaseMs);
      } finally {
        sim.shutdownNow();
        sim.awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  /** CPU time of the Vert.x event-loop threads, where telemetry is received and aggregated. */
  private static long eventLoopCpu(ThreadMXBean threads) {
    long sum = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("vert.x-eventloop-thread-")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  private static void report(double idle, double with, double publishing, double idleLoops, double withLoops,
      long phaseMs) throws Exception {
    String text = String.format(Locale.ROOT,
        "fleet telemetry overhead, %d simulated workers at 1 Hz, %d s per phase, %d cores:%n"
            + "  process CPU, coordinator idle:         %.4f cores%n"
            + "  process CPU, with the telemetry:       %.4f cores%n"
            + "  difference (publish + aggregate + GC): %.4f cores = %.2f%% of one core%n"
            + "    of which the publishing thread:      %.4f cores (worker-side work in a real fleet)%n"
            + "    so the coordinator's share:          %.4f cores = %.2f%% of one core%n"
            + "  event-loop threads only (receive, decode, aggregate, publish the report; no GC/JIT):%n"
            + "    idle %.4f, with %.4f: difference %.4f cores = %.2f%% of one core%n",
        WORKERS, phaseMs / 1000, Runtime.getRuntime().availableProcessors(), idle, with, with - idle,
        100 * (with - idle), publishing, with - idle - publishing, 100 * (with - idle - publishing),
        idleLoops, withLoops, withLoops - idleLoops, 100 * (withLoops - idleLoops));
    System.out.print(text);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "fleet-overhead.txt"), text);
  }
}
