package io.fleetrun.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code fleetrun coordinator} as the child of another fleetrun process (the load test's embedded
 * fleet): the same command, plus a watchdog that exits when standard input reaches its end, which
 * happens when the parent dies by any means (SIGKILL included), so a coordinator never outlives
 * the load test that started it.
 */
public final class ChildCoordinator {
  private ChildCoordinator() {}

  public static void main(String[] args) {
    Thread watchdog = new Thread(() -> {
      try (InputStream in = System.in) {
        while (in.read() >= 0) {
          // nothing is sent: the pipe only tells that the parent is alive
        }
      } catch (IOException e) {
        // a broken pipe means the same as end of file
      }
      System.exit(0); // the coordinator's shutdown hook closes its Vert.x
    }, "parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    String[] full = new String[args.length + 1];
    full[0] = "coordinator";
    System.arraycopy(args, 0, full, 1, args.length);
    System.exit(Fleetrun.run(full));
  }
}
