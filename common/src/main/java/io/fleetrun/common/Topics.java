package io.fleetrun.common;

/** Every Kafka topic and consumer-group name fleetrun uses, in one place. */
public final class Topics {
  /** Task records, key task id; workers consume it as one group. */
  public static final String TASKS = "fleetrun.tasks";
  /** Batch and task events, key batch id; the coordinator's state is a fold over it. */
  public static final String RESULTS = "fleetrun.results";
  /** Control messages (cancel), compacted, key batch id. */
  public static final String CONTROL = "fleetrun.control";
  /** The consumer group every worker joins. */
  public static final String WORKER_GROUP = "fleetrun-workers";

  public static final int DEFAULT_TASK_PARTITIONS = 32;
  public static final int DEFAULT_RESULT_PARTITIONS = 8;
  /** Largest record on the results topic: two 1 MiB captures, escaped as JSON, fit. */
  public static final int MAX_RESULT_BYTES = 16 * 1024 * 1024;

  private Topics() {}
}
