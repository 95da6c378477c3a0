package io.fleetrun.common.kafka;

import io.fleetrun.common.Topics;
import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings shared by every role, in one place. Keys and values travel as bytes; the
 * JSON mapping lives in {@link io.fleetrun.common.Json}.
 */
public final class KafkaClients {
  private KafkaClients() {}

  /** An idempotent producer with {@code acks=all}: a record is reported sent only once durable. */
  public static Map<String, String> producer(String bootstrap, String clientId) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("client.id", clientId);
    c.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    c.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    c.put("acks", "all");
    c.put("enable.idempotence", "true");
    c.put("max.in.flight.requests.per.connection", "5");
    c.put("linger.ms", "5");
    c.put("compression.type", "lz4");
    c.put("max.request.size", Integer.toString(Topics.MAX_RESULT_BYTES));
    c.put("delivery.timeout.ms", "120000");
    return c;
  }

  /**
   * A consumer that never commits on its own: offsets are committed by the code that knows a
   * record's work is done.
   */
  public static Map<String, String> consumer(String bootstrap, String groupId, String clientId) {
    Map<String, String> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    if (groupId != null) {
      c.put("group.id", groupId);
    }
    c.put("client.id", clientId);
    c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    c.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    c.put("enable.auto.commit", "false");
    c.put("auto.offset.reset", "earliest");
    c.put("isolation.level", "read_committed");
    c.put("max.partition.fetch.bytes", Integer.toString(Topics.MAX_RESULT_BYTES));
    return c;
  }

  /** Settings for an admin client. */
  public static Map<String, Object> admin(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("request.timeout.ms", 10000);
    c.put("default.api.timeout.ms", 30000);
    return c;
  }
}
