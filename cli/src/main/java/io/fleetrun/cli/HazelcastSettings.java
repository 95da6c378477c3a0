package io.fleetrun.cli;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;

/**
 * Builds the Hazelcast configuration of a fleetrun member in code, from a {@link ClusterConfig}: no
 * XML file is shipped or read (a {@code cluster.xml} on the classpath or {@code
 * vertx.hazelcast.config} is ignored).
 *
 * <p>Secure and quiet by default: TCP-IP join only (multicast and every auto-detection off),
 * sockets bound to the one configured address (not the wildcard), no phone-home, no health
 * monitor flooding the log, logging through slf4j (tuned in {@code simplelogger.properties}).
 */
final class HazelcastSettings {
  /** Member attribute naming the role, so membership log lines say who came and went. */
  static final String ROLE_ATTRIBUTE = "fleetrun.role";

  /**
   * Partitions of the cluster's data (Hazelcast's default is 271): the event bus's subscription map
   * is small, and every member must use the same count.
   */
  static final int PARTITIONS = 71;

  private HazelcastSettings() {}

  /**
   * A new Hazelcast config for one member.
   *
   * @param cluster validated cluster settings, enabled
   * @param role what this member is, e.g. {@code coordinator} or {@code worker w-1}; shown by
   *     every other member's log when it joins or leaves
   */
  static Config of(ClusterConfig cluster, String role) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setInstanceName("fleetrun-" + role.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + ProcessHandle.current().pid());
    config.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, role);
    properties(config);
    network(config.getNetworkConfig(), cluster);
    vertxStructures(config);
    return config;
  }

  private static void properties(Config config) {
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // on a busy 2-core machine the health monitor logs a block of figures every few seconds
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // A member that found nobody at start (a worker up before the coordinator) forms a cluster of
    // its own and merges once it reaches a listed member: look every 10 s, not after 5 minutes
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    // A killed process is noticed at once (its connections are reset); a machine that vanished
    // (power, network) only by missing heartbeats: 10 s without one, not Hazelcast's 60 s
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    // bind to the configured interface only, never to 0.0.0.0 (Hazelcast's default)
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.socket.client.bind.any", "false");
    // Vert.x leaves the cluster from its own close; a member holds no data that must migrate, so
    // a stop never waits long for the others (Hazelcast's default is 600 s)
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Jet (stream processing) and the SQL engine are unused: their threads and memory are not
    config.getJetConfig().setEnabled(false);
    config.getMetricsConfig().setEnabled(false);
    threads(config);
  }

  /**
   * A member holds only the event bus's subscriptions: a few small threads do, whatever the host's
   * cores (Hazelcast sizes several pools by cores: dozens of threads on a big host).
   */
  private static void threads(Config config) {
    config.setProperty("hazelcast.io.thread.count", "1");
    config.setProperty("hazelcast.io.balancer.interval.seconds", "-1");
    config.setProperty("hazelcast.operation.thread.count", "2");
    config.setProperty("hazelcast.operation.generic.thread.count", "1");
    config.setProperty("hazelcast.event.thread.count", "1");
    config.setProperty("hazelcast.operation.response.thread.count", "1");
    config.setProperty("hazelcast.slow.operation.detector.enabled", "false");
    config.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
  }

  private static void network(NetworkConfig network, ClusterConfig cluster) {
    String address = cluster.hostAddress();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(ClusterConfig.PORT_TRIES);
    network.getInterfaces().setEnabled(true).addInterface(address);
    network.getRestApiConfig().setEnabled(false);
    network.getMemcacheProtocolConfig().setEnabled(false);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetesDns() != null) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", cluster.kubernetesDns())
          .setProperty("service-port", Integer.toString(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }
  }

  /** The structures the Vert.x cluster manager keeps (as in vertx-hazelcast's default config). */
  private static void vertxStructures(Config config) {
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
  }
}
