package io.fleetrun.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The guard itself: it must see each kind of leak, and nothing when there is none. */
class LeakGuardTest {
  @Test
  void seesNothingWhenNothingLeaked() throws IOException {
    LeakGuard.Snapshot before = LeakGuard.snapshot();
    Pipe p = Pipe.open();
    p.sink().close();
    p.source().close();
    assertEquals(List.of(), LeakGuard.leaks(before, LeakGuard.snapshot()));
  }

  @Test
  void seesAnOpenPipe() throws IOException {
    LeakGuard.Snapshot before = LeakGuard.snapshot();
    Pipe p = Pipe.open();
    try {
      List<String> leaks = LeakGuard.leaks(before, LeakGuard.snapshot());
      assertTrue(leaks.stream().anyMatch(l -> l.contains("pipe:")), leaks.toString());
    } finally {
      p.sink().close();
      p.source().close();
    }
  }

  @Test
  void seesALiveThread() throws InterruptedException {
    LeakGuard.Snapshot before = LeakGuard.snapshot();
    CountDownLatch stop = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        stop.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "leaky-thread");
    t.start();
    try {
      assertTrue(LeakGuard.leaks(before, LeakGuard.snapshot()).contains("thread 'leaky-thread'"));
    } finally {
      stop.countDown();
      t.join();
    }
  }

  @Test
  void seesAChildProcessLiveOrZombie() throws Exception {
    LeakGuard.Snapshot before = LeakGuard.snapshot();
    Process p = new ProcessBuilder("sleep", "30").start();
    try {
      List<String> leaks = LeakGuard.leaks(before, LeakGuard.snapshot());
      assertTrue(leaks.stream().anyMatch(l -> l.startsWith("child process " + p.pid())), leaks.toString());
    } finally {
      p.destroyForcibly().waitFor();
      p.getInputStream().close();
      p.getErrorStream().close();
      p.getOutputStream().close();
    }
  }
}
