package io.fleetrun.loadtest.soak;

import io.fleetrun.common.wire.Outcome;
import io.fleetrun.loadtest.TaskRequest;

/**
 * The soak's task mix, repeating every 20 tasks so any stretch of the run exercises every path of
 * a child's life: 14 quick successes, 2 failures (exit 3 with stderr), 2 output-heavy successes
 * (256 KiB on stdout, past the 64 KiB kept: truncated, every byte drained and counted), 1 timeout
 * (SIGTERM ends it) and 1 timeout that ignores SIGTERM (SIGKILL after the grace).
 */
public final class SoakMix {
  /** A kind of soak task and the outcome it must end with. */
  public enum Kind {
    SUCCESS("true", null, null, Outcome.SUCCEEDED),
    FAILURE("echo soak-failure >&2; exit 3", null, null, Outcome.FAILED),
    OUTPUT("head -c 262144 /dev/zero; echo soak-stderr >&2", null, null, Outcome.SUCCEEDED),
    TIMEOUT("sleep 30", 150L, 100L, Outcome.TIMED_OUT),
    TIMEOUT_IGNORING_TERM("trap '' TERM; sleep 30", 150L, 100L, Outcome.TIMED_OUT);

    final String cmd;
    final Long timeoutMs;
    final Long killGraceMs;
    final Outcome expected;

    Kind(String cmd, Long timeoutMs, Long killGraceMs, Outcome expected) {
      this.cmd = cmd;
      this.timeoutMs = timeoutMs;
      this.killGraceMs = killGraceMs;
      this.expected = expected;
    }

    public Outcome expected() {
      return expected;
    }
  }

  private static final Kind[] PATTERN = new Kind[20];

  static {
    for (int i = 0; i < 20; i++) {
      PATTERN[i] = Kind.SUCCESS;
    }
    PATTERN[3] = Kind.FAILURE;
    PATTERN[13] = Kind.FAILURE;
    PATTERN[6] = Kind.OUTPUT;
    PATTERN[16] = Kind.OUTPUT;
    PATTERN[9] = Kind.TIMEOUT;
    PATTERN[19] = Kind.TIMEOUT_IGNORING_TERM;
  }

  private SoakMix() {}

  public static Kind kind(long n) {
    return PATTERN[(int) (n % PATTERN.length)];
  }

  /** The {@code n}th task of a soak (0-based); its label is its kind's name. */
  public static TaskRequest task(long n) {
    Kind k = kind(n);
    // a successful task gets a generous timeout: on a loaded 2-core box `true` can take a second
    return new TaskRequest(k.cmd, k.timeoutMs != null ? k.timeoutMs : 60_000L, k.killGraceMs, null, k.name());
  }
}
