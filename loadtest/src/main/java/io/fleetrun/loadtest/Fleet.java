package io.fleetrun.loadtest;

import io.fleetrun.loadtest.probe.WorkerProbe;
import java.util.List;

/**
 * The cluster a load run drives: an embedded one started for the run, or a running coordinator.
 * The engine (driver, step runner, soak) sees nothing else of it.
 *
 * <p>Threading: {@link #prepare} and {@link #submit} block and are called from the one driver
 * thread; {@link #probe} is sampled from a sampler thread.
 */
public interface Fleet extends AutoCloseable {
  /** One line for reports: what runs where (e.g. which JVM the worker figures are of). */
  String describe();

  /**
   * Readies the fleet for a step that keeps {@code concurrency} tasks in flight: an embedded fleet
   * redeploys its worker with that cap; a remote one cannot set caps and only checks or notes.
   *
   * @return a note for the report about this step's setting (may be empty)
   */
  String prepare(int concurrency);

  /** Submits one batch and returns its id once the coordinator accepted it (202). */
  String submit(String name, List<TaskRequest> tasks);

  /** The one feed of finished tasks of this fleet; opened before the first submit. */
  CompletionFeed completions();

  /** Reads the worker's process figures. */
  WorkerProbe probe();

  @Override
  void close();
}
