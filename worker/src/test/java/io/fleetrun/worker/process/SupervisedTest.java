package io.fleetrun.worker.process;

import io.fleetrun.common.testing.LeakGuard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One supervisor per test class, opened before the leak guard's first snapshot (its loop thread
 * and epoll fds live as long as the class) and closed after; every test must leave no zombie
 * child and nothing the {@link LeakGuard} sees.
 */
@ExtendWith(LeakGuard.class)
abstract class SupervisedTest {
  static ProcessSupervisor supervisor;

  @BeforeAll
  static void openSupervisor() {
    supervisor = new ProcessSupervisor();
  }

  @AfterAll
  static void closeSupervisor() {
    supervisor.close();
  }

  @AfterEach
  void noZombieChildren() {
    Procs.assertNoZombieChildren();
  }
}
