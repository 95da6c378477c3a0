package io.fleetrun.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Topics;
import io.fleetrun.common.testing.TestKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBrokerTest {
  private static final Duration READY = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void secondBrokerOnABusyDataDirIsRefusedWithAClearMessage() {
    EmbeddedBroker running = TestKafka.embeddedBroker();
    EmbeddedBroker own = running == null ? EmbeddedBroker.start(dir.resolve("busy"), 0, READY) : null;
    EmbeddedBroker busy = running != null ? running : own;
    try {
      long t0 = System.nanoTime();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> EmbeddedBroker.start(busy.dataDir(), 0, READY));
      assertTrue(e.getMessage().contains("already in use"), e.getMessage());
      assertTrue(e.getMessage().contains(busy.dataDir().toString()), e.getMessage());
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2), "refused without a launch");
      assertTrue(busy.isAlive(), "the refusal must not disturb the running broker");
    } finally {
      if (own != null) {
        own.close();
      }
    }
  }

  @Test
  void restartOnTheSameDataDirKeepsRecordsAndMayChangePorts() throws Exception {
    Path data = dir.resolve("data");
    String key = "restart-" + UUID.randomUUID();
    EmbeddedBroker first = EmbeddedBroker.start(data, 0, READY);
    long firstPid = first.pid();
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        new HashMap<>(KafkaClients.producer(first.bootstrap(), "restart-test")))) {
      producer.send(new ProducerRecord<>(Topics.RESULTS, key, "kept".getBytes()))
          .get(30, TimeUnit.SECONDS);
    } finally {
      first.close();
      first.close(); // idempotent
    }
    assertFalse(first.isAlive());
    assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false));

    try (EmbeddedBroker second = EmbeddedBroker.start(data, 0, READY)) {
      assertEquals("kept", new String(readValue(second.bootstrap(), key)));
    }
  }

  @Test
  void explicitPortInUseIsRefusedBeforeLaunching() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> EmbeddedBroker.start(dir.resolve("port"), taken.getLocalPort(), READY));
      assertTrue(e.getMessage().contains("port " + taken.getLocalPort()), e.getMessage());
    }
    // the failed start released the data dir
    DataDirLock.acquire(dir.resolve("port")).release();
  }

  @Test
  void libDirThatIsNotKafkaLibIsNamedInTheError() {
    String saved = System.getProperty(EmbeddedBroker.LIB_PROPERTY);
    System.setProperty(EmbeddedBroker.LIB_PROPERTY, dir.toString());
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> EmbeddedBroker.start(dir.resolve("nolib"), 0, READY));
      assertTrue(e.getMessage().contains(EmbeddedBroker.LIB_PROPERTY), e.getMessage());
      assertTrue(e.getMessage().contains("build kafka-dist"), e.getMessage());
    } finally {
      System.setProperty(EmbeddedBroker.LIB_PROPERTY, saved);
    }
  }

  /** Reads the value of the record with {@code key} from the results topic, from the start. */
  private static byte[] readValue(String bootstrap, String key) {
    Map<String, Object> config = new HashMap<>(KafkaClients.consumer(bootstrap, null, "restart-test"));
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(Topics.RESULTS).stream()
          .map((PartitionInfo p) -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (key.equals(r.key())) {
            return r.value();
          }
        }
      }
    }
    throw new AssertionError("record " + key + " not found after restart");
  }
}
