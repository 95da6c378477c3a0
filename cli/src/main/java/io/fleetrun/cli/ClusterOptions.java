package io.fleetrun.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * Cluster settings of the coordinator and worker roles on the command line (each also read from an
 * environment variable, for containers); validated by {@link ClusterConfig#validate()}.
 */
final class ClusterOptions {
  @Option(names = "--cluster", negatable = true, arity = "0..1", fallbackValue = "true",
      defaultValue = "${env:FLEETRUN_CLUSTER:-true}",
      description = "Join the clustered event bus so telemetry crosses processes (env FLEETRUN_CLUSTER;"
          + " default ${DEFAULT-VALUE}). --no-cluster or --cluster=false: a plain in-process event bus.")
  boolean enabled;

  @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "${env:FLEETRUN_CLUSTER_NAME:-"
      + ClusterConfig.DEFAULT_NAME + "}",
      description = "Members with another name never join this cluster: give each fleet its own"
          + " (env FLEETRUN_CLUSTER_NAME; default ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--cluster-host", paramLabel = "ADDRESS", defaultValue = "${env:FLEETRUN_CLUSTER_HOST:-"
      + ClusterConfig.DEFAULT_HOST + "}",
      description = "The one address of this machine the cluster binds to and announces (env FLEETRUN_CLUSTER_HOST;"
          + " default ${DEFAULT-VALUE}: this machine only). Any other address must be firewalled to the fleet.")
  String host;

  @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "${env:FLEETRUN_CLUSTER_PORT:-"
      + ClusterConfig.DEFAULT_PORT + "}",
      description = "Cluster member port; the next free one is taken when it is in use (env FLEETRUN_CLUSTER_PORT;"
          + " default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--cluster-members", paramLabel = "HOST[:PORT]", split = ",",
      defaultValue = "${env:FLEETRUN_CLUSTER_MEMBERS:-" + ClusterConfig.DEFAULT_HOST + "}",
      description = "Where to find the cluster: hosts or host:port, at least one running (env"
          + " FLEETRUN_CLUSTER_MEMBERS; default ${DEFAULT-VALUE}). A host alone means ports --cluster-port to +2.")
  List<String> members;

  @Option(names = "--cluster-dns", paramLabel = "SERVICE",
      defaultValue = "${env:FLEETRUN_CLUSTER_DNS}",
      description = "Kubernetes: find members through this headless service's DNS name instead of"
          + " --cluster-members (env FLEETRUN_CLUSTER_DNS).")
  String kubernetesDns;

  @Option(names = "--cluster-bus-port", paramLabel = "PORT", defaultValue = "${env:FLEETRUN_CLUSTER_BUS_PORT:-0}",
      description = "Port of the event bus's member-to-member connections (env FLEETRUN_CLUSTER_BUS_PORT;"
          + " default ${DEFAULT-VALUE}: a free port).")
  int busPort;

  /** The validated settings. */
  ClusterConfig config() {
    List<String> list = members == null ? List.of()
        : members.stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
    return new ClusterConfig(enabled, name, host, port, list, kubernetesDns, busPort).validate();
  }
}
