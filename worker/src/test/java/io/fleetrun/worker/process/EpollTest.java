package io.fleetrun.worker.process;

import io.fleetrun.common.testing.LeakGuard;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The eventfd wake-up of the loop under racing producers. */
@ExtendWith(LeakGuard.class)
class EpollTest {

  @Test
  void wakeupsRacingTheResetAreNeverLost() throws Exception {
    AtomicLong published = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    try (Epoll epoll = new Epoll()) {
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Thread producer = new Thread(() -> {
          while (running.get()) {
            published.incrementAndGet(); // stands for "a command was queued"
            epoll.wake();
          }
        });
        producers.add(producer);
        producer.start();
      }
      long seen = 0;
      long rounds = 0;
      long end = System.nanoTime() + 400_000_000L;
      try {
        while (System.nanoTime() < end) {
          int ready = epoll.await(1_000);
          for (int i = 0; i < ready; i++) {
            assertEquals(Epoll.WAKE, epoll.token(i));
            epoll.clearWake();
          }
          long now = published.get(); // "drain the commands"
          assertTrue(ready > 0 || now == seen, "lost wake-up: " + (now - seen) + " commands never announced");
          seen = now;
          rounds++;
        }
      } finally {
        running.set(false);
        for (Thread producer : producers) {
          producer.join(5_000);
        }
      }
      assertTrue(rounds > 100, "only " + rounds + " wake-ups");
    }
  }
}
