package io.fleetrun.worker.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetrun.common.testing.LeakGuard;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One supervisor per test class, opened before the leak guard's first snapshot (its loop thread
 * and epoll fds live as long as the class) and closed after; every test must leave no zombie
 * child, no task cgroup and nothing the {@link LeakGuard} sees.
 */
@ExtendWith(LeakGuard.class)
abstract class SupervisedTest {
  static ProcessSupervisor supervisor;

  @BeforeAll
  static void openSupervisor() {
    Containment wanted = Tasks.containment();
    supervisor = new ProcessSupervisor(wanted);
    if (wanted == Containment.CGROUP_V1 || wanted == Containment.PROCESS_GROUP) {
      assertEquals(wanted, supervisor.containment(), "the backend this run is for");
    }
  }

  @AfterAll
  static void closeSupervisor() {
    supervisor.close();
    assertEquals(List.of(), Procs.taskCgroupsLeft(), "task cgroups left after the supervisor closed");
  }

  /** True when this run's supervisor holds each task in a cgroup. */
  static boolean cgroups() {
    return supervisor.containment() != Containment.PROCESS_GROUP;
  }

  @AfterEach
  void noZombieChildren() {
    Procs.assertNoZombieChildren();
  }

  @AfterEach
  void noTaskCgroupLeft() {
    assertEquals(List.of(), Procs.taskCgroupsInUse(), "task cgroups left behind");
  }
}
