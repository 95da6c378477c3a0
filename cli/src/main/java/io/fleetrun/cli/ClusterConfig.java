package io.fleetrun.cli;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How a coordinator or worker process joins the clustered Vert.x event bus (Hazelcast underneath).
 * Immutable; {@link #defaults()} is a loopback-only cluster on this machine. Errors name the
 * command-line option, because that is what an operator sets.
 *
 * @param enabled join a cluster at all ({@code --cluster}); false runs the role on a plain
 *     in-process event bus (telemetry then reaches nobody in other processes). Default true
 * @param name the cluster's name ({@code --cluster-name}); members with another name never join
 *     this cluster, so two fleets on one network stay apart. Default {@value #DEFAULT_NAME}
 * @param host the address of this machine that Hazelcast and the event bus bind to and announce
 *     ({@code --cluster-host}); nothing listens on any other interface. Default {@value
 *     #DEFAULT_HOST}: only processes of this machine can join. Must be an address of this machine
 * @param port Hazelcast's member port ({@code --cluster-port}); when taken, the next free one up
 *     to {@value #PORT_TRIES} ports higher is used, so several roles share a machine. Default
 *     {@value #DEFAULT_PORT}
 * @param members where to look for the cluster ({@code --cluster-members}): {@code host} or
 *     {@code host:port} entries (a host alone means ports {@code port} to {@code port+2}), at least
 *     one of them running. Default {@value #DEFAULT_HOST}. A port range is refused (Hazelcast
 *     throws on it)
 * @param kubernetesDns a headless Kubernetes service's DNS name ({@code --cluster-dns}): when set,
 *     members are the service's endpoints instead of {@code members} (Hazelcast's Kubernetes
 *     discovery in DNS mode, which needs no API access). Default none
 * @param busPort port of the event bus's own TCP server ({@code --cluster-bus-port}): messages go
 *     straight from member to member on it. Default 0: a free port (set one to open it in a
 *     firewall)
 */
record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members,
    String kubernetesDns, int busPort) {

  static final String DEFAULT_NAME = "fleetrun";
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 5701;
  /** Ports tried from {@code port} upward when it is taken (by another role on this machine). */
  static final int PORT_TRIES = 100;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern MEMBER = Pattern.compile("([^:\\s,]+)(?::([0-9]{1,5}))?");

  ClusterConfig {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** A loopback cluster named {@value #DEFAULT_NAME} on port {@value #DEFAULT_PORT} and up. */
  static ClusterConfig defaults() {
    return new ClusterConfig(true, DEFAULT_NAME, DEFAULT_HOST, DEFAULT_PORT, List.of(DEFAULT_HOST), null, 0);
  }

  /** The same settings without a cluster: a plain in-process event bus. */
  static ClusterConfig standalone() {
    return new ClusterConfig(false, DEFAULT_NAME, DEFAULT_HOST, DEFAULT_PORT, List.of(DEFAULT_HOST), null, 0);
  }

  ClusterConfig withName(String newName) {
    return new ClusterConfig(enabled, newName, host, port, members, kubernetesDns, busPort);
  }

  ClusterConfig withPort(int newPort) {
    return new ClusterConfig(enabled, name, host, newPort, members, kubernetesDns, busPort);
  }

  ClusterConfig withMembers(List<String> newMembers) {
    return new ClusterConfig(enabled, name, host, port, newMembers, kubernetesDns, busPort);
  }

  /** True when the cluster ports are reachable only from this machine. */
  boolean loopbackOnly() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Checks every field (nothing when the cluster is off).
   *
   * @return this, for chaining
   * @throws IllegalArgumentException naming the option and what it accepts
   */
  ClusterConfig validate() {
    if (!enabled) {
      return this;
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("--cluster-name: 1-64 letters, digits, '.', '_' or '-', starting"
          + " with a letter or digit, got '" + name + "'");
    }
    checkHost();
    checkPort("--cluster-port", port, 1);
    checkPort("--cluster-bus-port", busPort, 0);
    if (kubernetesDns != null && kubernetesDns.isBlank()) {
      throw new IllegalArgumentException("--cluster-dns: must name a headless service, e.g. fleetrun.default.svc.cluster.local");
    }
    if (kubernetesDns == null && members.isEmpty()) {
      throw new IllegalArgumentException("--cluster-members: at least one host or host:port is needed");
    }
    members.forEach(ClusterConfig::checkMember);
    return this;
  }

  /** The resolved bind address; call after {@link #validate()}. */
  String hostAddress() {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--cluster-host: cannot resolve '" + host + "'");
    }
  }

  private void checkHost() {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("--cluster-host: must be an address of this machine, e.g. " + DEFAULT_HOST);
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--cluster-host: cannot resolve '" + host + "'");
    }
    if (address.isAnyLocalAddress()) {
      throw new IllegalArgumentException("--cluster-host: " + host + " would listen on every interface;"
          + " name the one address the cluster should use");
    }
    try {
      if (!address.isLoopbackAddress() && NetworkInterface.getByInetAddress(address) == null) {
        throw new IllegalArgumentException("--cluster-host: " + host + " is not an address of this machine");
      }
    } catch (SocketException e) {
      throw new IllegalArgumentException("--cluster-host: cannot list this machine's interfaces: " + e.getMessage());
    }
  }

  private static void checkPort(String option, int value, int min) {
    if (value < min || value > 65535) {
      throw new IllegalArgumentException(option + ": must be " + min + "..65535, got " + value);
    }
  }

  private static void checkMember(String member) {
    if (member.matches(".*:[0-9]+-[0-9]+")) {
      throw new IllegalArgumentException("--cluster-members: '" + member + "' is a port range; list each"
          + " host:port, or give the host alone (ports --cluster-port to --cluster-port+2 are tried)");
    }
    var m = MEMBER.matcher(member);
    if (!m.matches() || (m.group(2) != null && (Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535))) {
      throw new IllegalArgumentException("--cluster-members: '" + member + "' is not host or host:port");
    }
  }
}
