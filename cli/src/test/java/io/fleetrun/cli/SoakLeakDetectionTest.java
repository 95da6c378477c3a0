package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.testing.LeakGuard;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.loadtest.ClosedLoop;
import io.fleetrun.loadtest.Completion;
import io.fleetrun.loadtest.CompletionFeed;
import io.fleetrun.loadtest.Fleet;
import io.fleetrun.loadtest.TaskRequest;
import io.fleetrun.loadtest.probe.WorkerProbe;
import io.fleetrun.loadtest.soak.SoakCheck;
import io.fleetrun.loadtest.soak.SoakReport;
import io.fleetrun.loadtest.soak.SoakRunner;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The soak's check can fail: a real embedded fleet whose process (the one the soak samples) leaks
 * one open fd and one thread every 40 finished tasks fails the soak, naming both series.
 */
@Timeout(240)
@ExtendWith(LeakGuard.class)
class SoakLeakDetectionTest {
  @BeforeAll
  static void sharedResources() {
    TestKafka.bootstrap();
    new CoordinatorClient("http://127.0.0.1:1", null);
  }

  /**
   * The test double: the embedded fleet, except that for every {@code every} tasks it reports
   * finished, this process opens /dev/null and starts a thread, and keeps both until {@link
   * #release}.
   */
  static final class LeakyFleet implements Fleet {
    private final Fleet real;
    private final int every;
    private final List<FileInputStream> fds = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private long finished;

    LeakyFleet(Fleet real, int every) {
      this.real = real;
      this.every = every;
    }

    @Override
    public CompletionFeed completions() {
      CompletionFeed feed = real.completions();
      return new CompletionFeed() {
        @Override
        public List<Completion> poll(long maxWaitMs) throws InterruptedException {
          List<Completion> done = feed.poll(maxWaitMs);
          for (int i = 0; i < done.size(); i++) {
            if (++finished % every == 0) {
              leak();
            }
          }
          return done;
        }

        @Override
        public void close() {
          feed.close();
        }
      };
    }

    private void leak() {
      try {
        fds.add(new FileInputStream("/dev/null"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      Thread t = new Thread(() -> {
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "leaked-by-test-double-" + threads.size());
      t.start();
      threads.add(t);
    }

    int leaked() {
      return fds.size();
    }

    /** Gives back everything it leaked, so the test itself leaves nothing behind. */
    void release() throws Exception {
      released.countDown();
      for (Thread t : threads) {
        t.join(5_000);
      }
      for (FileInputStream f : fds) {
        f.close();
      }
    }

    @Override
    public String describe() {
      return "leaky test double over " + real.describe();
    }

    @Override
    public String prepare(int concurrency) {
      return real.prepare(concurrency);
    }

    @Override
    public String submit(String name, List<TaskRequest> tasks) {
      return real.submit(name, tasks);
    }

    @Override
    public WorkerProbe probe() {
      return real.probe();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void aProcessLeakingAnFdAndAThreadEveryFortyTasksFailsTheSoakNamingBoth() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    EmbeddedFleet fleet = EmbeddedFleet.start(TestKafka.bootstrap(), 23);
    LeakyFleet leaky = new LeakyFleet(fleet, 40);
    SoakRunner.Result r;
    try (leaky; ClosedLoop loop = new ClosedLoop(leaky, "leak test", 90_000)) {
      leaky.prepare(8);
      SoakRunner runner = new SoakRunner(loop, fleet.procProbe(), new PrintStream(log, true, StandardCharsets.UTF_8));
      r = runner.run(new SoakRunner.Plan(800, 8, 40, 160));
    } finally {
      leaky.release();
    }
    String table = SoakReport.table(r);
    assertEquals(20, leaky.leaked(), "one fd and one thread per 40 of 800 tasks");
    assertFalse(r.passed(), table);
    List<String> failed = SoakCheck.failed(r.verdicts());
    assertTrue(failed.containsAll(List.of("fds", "threads")), failed + "\n" + table);
    assertFalse(failed.contains("zombies") || failed.contains("task_processes"), failed + "\n" + table);
    assertTrue(table.contains("| fds | ") && table.contains("LEAK: slope"), table);
    // the growth the check saw is the leak's: 10,000 / 40 = 250 per 10k tasks, within noise
    double fdSlope = r.verdicts().get(0).slopePer10k();
    assertTrue(fdSlope > 150 && fdSlope < 350, "fd slope per 10k tasks: " + fdSlope + "\n" + table);
    assertEquals("{}", r.mismatches().toString(), "every task ended as its kind demands");
  }
}
