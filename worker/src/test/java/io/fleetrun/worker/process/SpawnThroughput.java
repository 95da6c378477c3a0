package io.fleetrun.worker.process;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.common.wire.TaskSpec;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Not a test: a quick throughput probe, {@code /bin/true} through the supervisor at a fixed
 * concurrency in a plain loop, next to {@code xargs -P} timed in the same run. Run with
 * {@code java -cp <test classpath> io.fleetrun.worker.process.SpawnThroughput [count]}.
 */
public final class SpawnThroughput {
  private SpawnThroughput() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    try (ProcessSupervisor supervisor = new ProcessSupervisor()) {
      run(supervisor, 8, 500); // warm-up: JIT, JNA
      for (int p : new int[] {8, 22}) {
        double rate = run(supervisor, p, count);
        System.out.printf("supervisor P=%d: %.0f /bin/true per second (%d threads in the JVM)%n", p, rate, Procs.threads());
        System.out.printf("xargs      P=%d: %.0f /bin/true per second%n", p, xargs(p, count));
      }
    }
  }

  private static double run(ProcessSupervisor supervisor, int concurrency, int count) throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      TaskSpec spec = Tasks.argv(List.of("/bin/true"), null);
      supervisor.start(spec, null).result().whenComplete((r, e) -> {
        if (e != null || r.outcome() != Outcome.SUCCEEDED) {
          failed.incrementAndGet();
        }
        slots.release();
      });
    }
    slots.acquire(concurrency);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " tasks failed");
    }
    return count / seconds;
  }

  private static double xargs(int concurrency, int count) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("/bin/sh", "-c",
        "seq " + count + " | xargs -P " + concurrency + " -I{} /bin/true").inheritIO().start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("xargs failed");
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }
}
