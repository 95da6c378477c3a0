package io.fleetrun.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetrun.common.Topics;
import io.fleetrun.common.testing.TestKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicSetupTest {

  @Test
  void brokerComesUpWithFleetrunTopicsAndTheirSettings() throws Exception {
    try (Admin admin = Admin.create(KafkaClients.admin(TestKafka.bootstrap()))) {
      Map<String, TopicDescription> topics = admin
          .describeTopics(List.of(Topics.TASKS, Topics.RESULTS, Topics.CONTROL))
          .allTopicNames().get(30, TimeUnit.SECONDS);
      assertEquals(Topics.DEFAULT_TASK_PARTITIONS, topics.get(Topics.TASKS).partitions().size());
      assertEquals(Topics.DEFAULT_RESULT_PARTITIONS, topics.get(Topics.RESULTS).partitions().size());
      assertEquals(TopicSetup.CONTROL_PARTITIONS, topics.get(Topics.CONTROL).partitions().size());

      assertEquals(Integer.toString(Topics.MAX_RESULT_BYTES),
          config(admin, Topics.RESULTS).get("max.message.bytes").value());
      assertEquals("compact", config(admin, Topics.CONTROL).get("cleanup.policy").value());
      assertEquals("delete", config(admin, Topics.TASKS).get("cleanup.policy").value());
    }
  }

  @Test
  void ensureLeavesExistingTopicsAsTheyAre() throws Exception {
    String bootstrap = TestKafka.bootstrap();
    TopicSetup.ensure(bootstrap, 4);
    TopicSetup.ensure(bootstrap);
    try (Admin admin = Admin.create(KafkaClients.admin(bootstrap))) {
      TopicDescription tasks = admin.describeTopics(List.of(Topics.TASKS))
          .allTopicNames().get(30, TimeUnit.SECONDS).get(Topics.TASKS);
      assertEquals(Topics.DEFAULT_TASK_PARTITIONS, tasks.partitions().size());
    }
  }

  @Test
  void noTopicIsMissingOnceTheyAreCreated() {
    assertEquals(List.of(), TopicSetup.missing(TestKafka.bootstrap()));
  }

  @Test
  void aBrokerThatDoesNotAnswerIsNamedInTheError() {
    String nobody = "127.0.0.1:" + FreePorts.pick();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> TopicSetup.missing(nobody, 2));

    assertTrue(e.getMessage().startsWith("no answer from Kafka at " + nobody + " within 2 s"), e.getMessage());
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
  }
}
