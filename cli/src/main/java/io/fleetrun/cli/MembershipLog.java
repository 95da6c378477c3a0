package io.fleetrun.cli;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the cluster's membership in fleetrun's own words, one line per event: the cluster this
 * process joined (once, with its size), and each member that joins or leaves later, named by its
 * role and address. Hazelcast's own multi-line member tables and connection warnings are silenced
 * in {@code simplelogger.properties}; these lines replace them.
 *
 * <p>Called on Hazelcast's event threads; stateless apart from the immutable cluster name.
 */
final class MembershipLog implements InitialMembershipListener {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipLog.class);
  private final String clusterName;

  MembershipLog(String clusterName) {
    this.clusterName = clusterName;
  }

  @Override
  public void init(InitialMembershipEvent event) {
    Member self = event.getCluster().getLocalMember();
    LOG.info("joined cluster '{}' of {} members as {}", clusterName, event.getMembers().size(), describe(self));
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    LOG.info("member {} joined cluster '{}' ({} members)", describe(event.getMember()), clusterName,
        event.getMembers().size());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    LOG.warn("member {} left cluster '{}' ({} members)", describe(event.getMember()), clusterName,
        event.getMembers().size());
  }

  /** {@code worker w-1 at 127.0.0.1:5702}; a member without fleetrun's attribute by address only. */
  static String describe(Member member) {
    String role = member.getAttribute(HazelcastSettings.ROLE_ATTRIBUTE);
    String address = member.getAddress().getHost() + ":" + member.getAddress().getPort();
    return role == null ? address : role + " at " + address;
  }
}
