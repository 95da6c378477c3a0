package io.fleetrun.kafkadist;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a single-node KRaft Kafka broker (broker and controller in one process) in this JVM.
 *
 * <p>Runs in the broker's own JVM with only {@code kafka-lib/*} on the classpath, so it uses
 * nothing but the JDK and Kafka: no picocli, no fleetrun-common.
 *
 * <pre>
 * java -cp 'kafka-lib/*' io.fleetrun.kafkadist.BrokerMain --data-dir DIR --port N
 *      --controller-port N [--cluster-id ID] [--no-stdin-watchdog]
 * </pre>
 *
 * <p>Each start rewrites {@code DIR/server.properties} (so ports may change between runs on one
 * data dir), formats {@code DIR/logs} only when it holds no {@code meta.properties} yet, then hands
 * over to {@code kafka.Kafka}, whose shutdown hook stops the broker cleanly on SIGTERM or {@link
 * System#exit}. Unless {@code --no-stdin-watchdog} is given, the broker exits when its standard
 * input reaches end of file: the parent keeps a pipe open, and the kernel closes it when the
 * parent dies by any means, SIGKILL included.
 */
public final class BrokerMain {

  /**
   * Largest record batch the broker accepts. Copied from {@code
   * io.fleetrun.common.Topics.MAX_RESULT_BYTES} (16 MiB), which this JVM cannot see; keep the two
   * equal.
   */
  static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private static final int NODE_ID = 1;

  private BrokerMain() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("fleetrun broker: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.stdinWatchdog) {
      startStdinWatchdog(System.in);
    }
    Path props = prepare(options);
    System.out.println("fleetrun broker: starting on 127.0.0.1:" + options.port
        + " (controller " + options.controllerPort + "), data " + options.dataDir);
    System.out.flush();
    // Blocks until the broker shuts down, then exits the JVM itself.
    kafka.Kafka.main(new String[] {props.toString()});
  }

  /** Writes server.properties and formats the log dir on first use; returns the properties file. */
  static Path prepare(Options options) throws IOException {
    Path dataDir = options.dataDir.toAbsolutePath();
    Path logs = dataDir.resolve("logs");
    Files.createDirectories(logs);
    Path props = dataDir.resolve("server.properties");
    writeProperties(props, serverProperties(logs, options.port, options.controllerPort));
    if (!Files.exists(logs.resolve("meta.properties"))) {
      format(props, options.clusterId != null ? options.clusterId : newClusterId());
    }
    return props;
  }

  /** The broker's whole configuration; see PLATFORM-NOTES for why each single-node value. */
  static Map<String, String> serverProperties(Path logs, int port, int controllerPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    // A static voter set: nothing about the controller's address is stored in the data dir,
    // so a restart on other ports works (a --standalone dynamic quorum records the endpoint).
    p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logs.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    // 50 partitions make the first group join slow on a small box
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // the default 128 MiB dedupe buffer does not fit a small heap and kills the broker at start
    p.put("log.cleaner.dedupe.buffer.size", "8388608");
    p.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    p.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    // fewer threads than the defaults: this broker shares a small machine with its clients
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "1");
    return p;
  }

  private static void writeProperties(Path file, Map<String, String> props) throws IOException {
    StringBuilder sb = new StringBuilder("# written by io.fleetrun.kafkadist.BrokerMain on every start\n");
    props.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void format(Path props, String clusterId) {
    // StorageTool.main would exit the JVM; execute returns its status instead.
    int rc = kafka.tools.StorageTool.execute(
        new String[] {"format", "--cluster-id=" + clusterId, "-c", props.toString()}, System.out);
    if (rc != 0) {
      throw new IllegalStateException("formatting " + props.getParent() + " failed: status " + rc);
    }
  }

  /**
   * A random cluster id in Kafka's form (base64url of 16 bytes). Kafka's own generator never
   * returns one that starts with '-', because the storage tool would read it as an option; the
   * same rule applies here.
   */
  static String newClusterId() {
    while (true) {
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  /** Exits the JVM (running Kafka's shutdown hook) once {@code in} reaches end of file. */
  static void startStdinWatchdog(InputStream in) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[256];
      try {
        while (in.read(buf) >= 0) {
          // the parent never writes; anything read is ignored
        }
      } catch (IOException e) {
        // a broken pipe means the same as EOF: the parent is gone
      }
      PrintStream out = System.out;
      out.println("fleetrun broker: standard input closed (parent gone); shutting down");
      out.flush();
      System.exit(0);
    }, "fleetrun-parent-watchdog");
    t.setDaemon(true);
    t.start();
  }

  /** Command-line options, parsed by hand: only Kafka's jars are on this classpath. */
  static final class Options {
    static final String USAGE = "usage: BrokerMain --data-dir DIR --port N --controller-port N"
        + " [--cluster-id ID] [--no-stdin-watchdog]";

    Path dataDir;
    int port = -1;
    int controllerPort = -1;
    String clusterId;
    boolean stdinWatchdog = true;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--data-dir" -> o.dataDir = Path.of(value(args, ++i, a));
          case "--port" -> o.port = port(value(args, ++i, a), a);
          case "--controller-port" -> o.controllerPort = port(value(args, ++i, a), a);
          case "--cluster-id" -> o.clusterId = value(args, ++i, a);
          case "--no-stdin-watchdog" -> o.stdinWatchdog = false;
          default -> throw new IllegalArgumentException("unknown argument " + a);
        }
      }
      if (o.dataDir == null || o.port < 0 || o.controllerPort < 0) {
        throw new IllegalArgumentException("--data-dir, --port and --controller-port are required");
      }
      if (o.port == o.controllerPort) {
        throw new IllegalArgumentException("--port and --controller-port must differ");
      }
      return o;
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }

    private static int port(String s, String name) {
      try {
        int p = Integer.parseInt(s);
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
        return p;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a port number 1-65535, got " + s);
      }
    }
  }
}
