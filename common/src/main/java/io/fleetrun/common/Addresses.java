package io.fleetrun.common;

/**
 * Every Vert.x event-bus address fleetrun uses, in one place. Bodies are JSON objects of the
 * versioned wire records named here (encode with {@link Json}; decode tolerating unknown fields).
 */
public final class Addresses {
  /**
   * Worker telemetry, published (not sent) about once a second by every worker: a {@link
   * io.fleetrun.common.wire.WorkerTelemetry}. Clustered across processes; the coordinator
   * aggregates it into the fleet view and the dashboard subscribes through the bridge.
   */
  public static final String TELEMETRY = "fleetrun.telemetry";

  /**
   * Fleet and batch progress published by the coordinator about once a second for the dashboard
   * and {@code fleetrun top}: the same JSON as {@code GET /v1/fleet}.
   */
  public static final String FLEET = "fleetrun.fleet";

  private Addresses() {}
}
