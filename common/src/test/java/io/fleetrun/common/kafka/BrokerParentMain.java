package io.fleetrun.common.kafka;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in for a fleetrun process that owns an embedded broker, run in its own JVM by {@link
 * BrokerParentDeathTest}: starts a broker on {@code args[0]}, prints {@code BROKER <pid>
 * <bootstrap>} and waits to be killed.
 */
public final class BrokerParentMain {
  private BrokerParentMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedBroker broker = EmbeddedBroker.start(Path.of(args[0]), 0, Duration.ofSeconds(90));
    System.out.println("BROKER " + broker.pid() + " " + broker.bootstrap());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
