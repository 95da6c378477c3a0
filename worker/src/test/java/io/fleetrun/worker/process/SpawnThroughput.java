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
 * {@code java -cp <test classpath> io.fleetrun.worker.process.SpawnThroughput [count [auto|cgroup|pgroup]]}.
 * Both task forms are timed: {@code argv [/bin/true]} and {@code cmd "true"} (through /bin/sh,
 * where the cgroup backend joins without an extra exec), against {@code xargs -P -I{} sh -c true}.
 */
public final class SpawnThroughput {
  private SpawnThroughput() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Containment containment = Containment.parse(args.length > 1 ? args[1] : "auto");
    try (ProcessSupervisor supervisor = new ProcessSupervisor(containment)) {
      System.out.println("containment: " + supervisor.containmentDetail());
      run(supervisor, 8, 500, false); // warm-up: JIT, JNA
      for (int p : new int[] {1, 8, 22}) {
        double argv = run(supervisor, p, count, false);
        double shell = run(supervisor, p, count, true);
        System.out.printf("P=%2d  supervisor argv /bin/true %5.0f/s   sh -c true %5.0f/s   xargs sh -c true %5.0f/s"
            + "   (%d threads in the JVM)%n", p, argv, shell, xargs(p, count), Procs.threads());
      }
    }
  }

  private static double run(ProcessSupervisor supervisor, int concurrency, int count, boolean shell)
      throws Exception {
    Semaphore slots = new Semaphore(concurrency);
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int i = 0; i < count; i++) {
      slots.acquire();
      TaskSpec spec = shell ? Tasks.sh("true") : Tasks.argv(List.of("/bin/true"), null);
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
        "seq " + count + " | xargs -P " + concurrency + " -I{} sh -c true").inheritIO().start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("xargs failed");
    }
    return count / ((System.nanoTime() - t0) / 1e9);
  }
}
