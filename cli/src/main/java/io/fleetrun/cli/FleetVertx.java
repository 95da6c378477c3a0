package io.fleetrun.cli;

import io.fleetrun.common.VertxRuntime;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the Vert.x of a coordinator or worker process: clustered through Hazelcast when the
 * {@link ClusterConfig} says so, else a plain one; either way with {@link VertxRuntime}'s metrics and
 * registry. Closing the Vert.x leaves the cluster (the other members log this member as left).
 */
final class FleetVertx {
  private static final Logger LOG = LoggerFactory.getLogger(FleetVertx.class);
  /** Joining takes seconds; a member list of unreachable hosts should fail the start, not hang it. */
  private static final long JOIN_TIMEOUT_S = 120;

  private FleetVertx() {}

  /**
   * Starts a Vert.x for one role; blocks while joining.
   *
   * @param cluster validated cluster settings
   * @param role this member's name for the other members' logs, e.g. {@code worker w-1}
   * @throws CliException when the cluster cannot be joined
   */
  static Vertx start(ClusterConfig cluster, String role) {
    if (!cluster.enabled()) {
      return VertxRuntime.create();
    }
    // Hazelcast's static loggers read the system property before any config is seen; without it
    // they print through java.util.logging, bypassing simplelogger.properties
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastSettings.of(cluster, role));
    VertxOptions options = VertxRuntime.options();
    options.getEventBusOptions().setHost(cluster.hostAddress()).setPort(cluster.busPort());
    PrometheusMeterRegistry registry = VertxRuntime.newRegistry();
    Vertx vertx;
    try {
      vertx = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(registry))
          .withClusterManager(manager).buildClustered().await(JOIN_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new CliException("could not join cluster '" + cluster.name() + "' on " + cluster.host() + " (members "
          + (cluster.kubernetesDns() != null ? cluster.kubernetesDns() : String.join(",", cluster.members()))
          + "): " + e.getMessage());
    }
    VertxRuntime.remember(vertx, registry);
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipLog(cluster.name()));
    if (!cluster.loopbackOnly()) {
      LOG.warn("cluster '{}' listens on {} (member port {} and up, event bus port {}): anyone who reaches"
          + " these ports can join the fleet; firewall them to the fleet's machines", cluster.name(),
          cluster.host(), cluster.port(), cluster.busPort() == 0 ? "chosen at random" : cluster.busPort());
    }
    return vertx;
  }
}
