package io.fleetrun.loadtest;

import java.util.List;

/**
 * Finished tasks as the fleet reports them, in arrival order, from any batch (the driver keeps
 * the ones it submitted). A task delivered twice (at-least-once) may be reported twice.
 *
 * <p>Threading: an implementation reads on a thread of its own and hands completions over
 * through {@link #poll}, which one driver thread calls.
 */
public interface CompletionFeed extends AutoCloseable {
  /**
   * Completions that arrived since the last call; waits up to {@code maxWaitMs} when there are
   * none yet. Empty after the wait when none arrived.
   *
   * @throws IllegalStateException when the feed failed (the message says why)
   */
  List<Completion> poll(long maxWaitMs) throws InterruptedException;

  /** Stops the reading thread and releases its connections; idempotent. */
  @Override
  void close();
}
