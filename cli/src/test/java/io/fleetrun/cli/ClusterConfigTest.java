package io.fleetrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Cluster settings: defaults, validation naming the option, and the Hazelcast config they make. */
class ClusterConfigTest {
  private static ClusterConfig parse(String... args) {
    ClusterOptions options = new ClusterOptions();
    new CommandLine(options).parseArgs(args);
    return options.config();
  }

  private static String rejected(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
  }

  @Test
  void defaultsAreALoopbackClusterNamedFleetrun() {
    ClusterConfig c = parse();
    assertTrue(c.enabled());
    assertEquals("fleetrun", c.name());
    assertEquals("127.0.0.1", c.host());
    assertEquals(5701, c.port());
    assertEquals(List.of("127.0.0.1"), c.members());
    assertEquals(0, c.busPort());
    assertTrue(c.loopbackOnly());
  }

  @Test
  void noClusterAndClusterFalseBothRunStandalone() {
    assertFalse(parse("--no-cluster").enabled());
    assertFalse(parse("--cluster=false").enabled());
    assertTrue(parse("--cluster").enabled());
  }

  @Test
  void membersAreSplitOnCommasAndTrimmed() {
    assertEquals(List.of("10.0.0.5:5701", "workers.example"), parse("--cluster-members", "10.0.0.5:5701, workers.example,").members());
  }

  @Test
  void badValuesAreRefusedNamingTheOption() {
    assertTrue(rejected("--cluster-members", "127.0.0.1:5701-5703").startsWith("--cluster-members: '127.0.0.1:5701-5703' is a port range"));
    assertTrue(rejected("--cluster-members", "a:99999").startsWith("--cluster-members: 'a:99999'"));
    assertTrue(rejected("--cluster-members", ",").startsWith("--cluster-members: at least one"));
    assertTrue(rejected("--cluster-name", "two fleets").startsWith("--cluster-name:"));
    assertTrue(rejected("--cluster-port", "0").startsWith("--cluster-port: must be 1..65535"));
    assertTrue(rejected("--cluster-bus-port", "70000").startsWith("--cluster-bus-port:"));
    assertTrue(rejected("--cluster-host", "0.0.0.0").contains("every interface"));
    // TEST-NET-3 (RFC 5737): never an address of this machine
    assertEquals("--cluster-host: 203.0.113.7 is not an address of this machine", rejected("--cluster-host", "203.0.113.7"));
    assertTrue(rejected("--cluster-host", "no-such-host.invalid").startsWith("--cluster-host: cannot resolve"));
  }

  @Test
  void aStandaloneRoleIgnoresClusterSettings() {
    assertFalse(parse("--no-cluster", "--cluster-name", "two fleets").enabled());
  }

  @Test
  void hazelcastJoinsOnlyByTcpIpOnTheConfiguredAddressAndNeverPhonesHome() {
    ClusterConfig c = parse("--cluster-name", "blue", "--cluster-port", "6701", "--cluster-members", "127.0.0.1:6701");
    Config hz = HazelcastSettings.of(c, "worker w-1");
    assertEquals("blue", hz.getClusterName());
    assertEquals("worker w-1", hz.getMemberAttributeConfig().getAttribute(HazelcastSettings.ROLE_ATTRIBUTE));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:6701"), join.getTcpIpConfig().getMembers());
    assertEquals(6701, hz.getNetworkConfig().getPort());
    assertEquals(List.of("127.0.0.1"), List.copyOf(hz.getNetworkConfig().getInterfaces().getInterfaces()));
    assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"));
    assertEquals("false", hz.getProperty("hazelcast.phone.home.enabled"));
    assertEquals("OFF", hz.getProperty("hazelcast.health.monitoring.level"));
    assertEquals("slf4j", hz.getProperty("hazelcast.logging.type"));
    assertTrue(hz.getMultiMapConfigs().containsKey("__vertx.subs"), "the structures the Vert.x cluster manager uses");
  }

  @Test
  void aKubernetesServiceReplacesTheMemberList() {
    Config hz = HazelcastSettings.of(parse("--cluster-dns", "fleetrun.default.svc.cluster.local"), "coordinator");
    JoinConfig join = hz.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("fleetrun.default.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
  }
}
