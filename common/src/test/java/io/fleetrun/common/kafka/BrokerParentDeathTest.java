package io.fleetrun.common.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fleetrun.common.testing.TestKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker never outlives the JVM that started it, however that JVM ends. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BrokerParentDeathTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerParentDeathTest.class);
  @TempDir Path dir;

  @Test
  void brokerStopsWithinSecondsWhenItsParentJvmIsSigkilled() throws Exception {
    Path dataDir = dir.resolve("data");
    Process parent = new ProcessBuilder(List.of(
        ProcessHandle.current().info().command().orElseThrow(), "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"),
        "-D" + EmbeddedBroker.LIB_PROPERTY + "=" + System.getProperty(EmbeddedBroker.LIB_PROPERTY),
        BrokerParentMain.class.getName(), dataDir.toString()))
        .redirectError(dir.resolve("parent.log").toFile())
        .start();
    long brokerPid = -1;
    try {
      brokerPid = readBrokerPid(parent);
      assertTrue(isRunning(brokerPid), "broker should run while its parent lives");

      long killedAt = System.nanoTime();
      parent.destroyForcibly(); // SIGKILL: no shutdown hook runs in the parent
      assertTrue(parent.waitFor(10, TimeUnit.SECONDS));

      long deadline = killedAt + TimeUnit.SECONDS.toNanos(10);
      while (isRunning(brokerPid) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertFalse(isRunning(brokerPid), "broker pid " + brokerPid + " outlived its parent by 10 s");
      LOG.info("broker pid {} gone {} ms after its parent was killed", brokerPid,
          (System.nanoTime() - killedAt) / 1_000_000);
      String log = Files.readString(dataDir.resolve("broker.log"));
      assertTrue(log.contains("standard input closed"), "broker should notice the closed pipe");
    } finally {
      parent.destroyForcibly();
      if (brokerPid > 0) {
        ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
      }
      TestKafka.deleteTree(dataDir);
    }
  }

  private long readBrokerPid(Process parent) throws Exception {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader r = new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          if (l.startsWith("BROKER ")) {
            return l;
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      }
    });
    String l = line.get(90, TimeUnit.SECONDS);
    if (l == null) {
      fail("parent JVM ended without starting a broker:\n"
          + Files.readString(dir.resolve("parent.log")));
    }
    return Long.parseLong(l.split(" ")[1]);
  }

  /** True while the process exists and is not a zombie (reaping an orphan is init's business). */
  static boolean isRunning(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
