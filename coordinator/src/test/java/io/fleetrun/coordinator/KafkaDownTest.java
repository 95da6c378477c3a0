package io.fleetrun.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.kafka.EmbeddedBroker;
import io.fleetrun.common.testing.TestKafka;
import io.fleetrun.coordinator.TestCoordinator.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A broker of its own, stopped under a running coordinator: 503 with the reason, nothing else breaks. */
class KafkaDownTest {

  @Test
  void whenKafkaIsGonePublishingAnswers503AndTheCoordinatorStaysUp() throws Exception {
    Path dir = Files.createTempDirectory("fleetrun-coord-kafka-down-");
    EmbeddedBroker broker = EmbeddedBroker.start(dir, 0, Duration.ofSeconds(90));
    try {
      CoordinatorConfig config = CoordinatorConfig.local(broker.bootstrap(), 0).withKafkaTimeoutMs(3000);
      try (TestCoordinator c = TestCoordinator.start(config)) {
        String id = c.submit("{\"name\":\"before\",\"tasks\":[{\"cmd\":\"true\"}]}");
        broker.close();

        long t0 = System.nanoTime();
        Reply r = c.postJson("/v1/batches", "{\"name\":\"after\",\"tasks\":[{\"cmd\":\"true\"}]}");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, r.status(), r.raw());
        assertTrue(r.body().get("error").asText().contains("Kafka"), r.raw());
        assertTrue(ms < 15_000, "503 took " + ms + " ms");

        for (String path : new String[] {"/v1/batches/" + id, "/v1/tasks/" + id + ".1"}) {
          t0 = System.nanoTime();
          Reply cancel = c.send(c.request(path).DELETE().build());
          ms = (System.nanoTime() - t0) / 1_000_000;
          assertEquals(503, cancel.status(), cancel.raw());
          assertTrue(cancel.body().get("error").asText().contains("Kafka"), cancel.raw());
          assertTrue(ms < 15_000, "503 took " + ms + " ms");
        }

        // what is already known is still served, and the failed cancel left no mark
        assertEquals("ACCEPTED", c.get("/v1/batches/" + id).body().get("state").asText());
        assertTrue(c.get("/v1/batches/" + id).body().get("cancelRequestedAtMs").isNull());
        assertEquals(400, c.postJson("/v1/batches", "{").status());
      }
    } finally {
      broker.close();
      TestKafka.deleteTree(dir);
    }
  }
}
