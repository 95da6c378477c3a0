package io.fleetrun.common.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetrun.common.Topics;
import io.fleetrun.common.testing.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** fleetrun's client settings against the test broker, through vertx-kafka-client as roles use it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaRoundTripTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void recordLargerThanKafkasDefaultLimitTravelsThroughResultsTopic() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    String key = "roundtrip-" + UUID.randomUUID();
    byte[] value = new byte[3 * 1024 * 1024]; // three times Kafka's default 1 MiB record limit
    Arrays.fill(value, (byte) 'r');
    value[value.length - 1] = '!';

    KafkaProducer<String, byte[]> producer =
        KafkaProducer.create(vertx, KafkaClients.producer(bootstrap, "roundtrip-test"));
    RecordMetadata sent = producer.send(KafkaProducerRecord.create(Topics.RESULTS, key, value))
        .await(30, TimeUnit.SECONDS);
    producer.close().await(30, TimeUnit.SECONDS);

    CompletableFuture<byte[]> received = new CompletableFuture<>();
    KafkaConsumer<String, byte[]> consumer = KafkaConsumer.create(vertx,
        KafkaClients.consumer(bootstrap, TestKafka.uniqueGroup("roundtrip"), "roundtrip-test"));
    consumer.handler(r -> {
      if (key.equals(r.key())) {
        received.complete(r.value());
      }
    });
    consumer.subscribe(Topics.RESULTS).await(30, TimeUnit.SECONDS);
    try {
      byte[] got = received.get(60, TimeUnit.SECONDS);
      assertEquals(value.length, got.length);
      assertArrayEquals(value, got);
      assertEquals(Topics.RESULTS, sent.getTopic());
    } finally {
      consumer.close().await(30, TimeUnit.SECONDS);
    }
  }
}
