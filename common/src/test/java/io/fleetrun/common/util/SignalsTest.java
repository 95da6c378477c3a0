package io.fleetrun.common.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SignalsTest {
  @Test
  void namesAndNumbersRoundTripForEverySignal() {
    for (int n = 1; n <= 64; n++) {
      if (n == 32 || n == 33) {
        continue; // reserved by glibc, no name
      }
      assertEquals(n, Signals.number(Signals.name(n)), "signal " + n + " as " + Signals.name(n));
    }
  }

  @Test
  void acceptsTheSigPrefixAndRejectsUnknownNames() {
    assertEquals(9, Signals.number("SIGKILL"));
    assertEquals("TERM", Signals.name(15));
    assertEquals("RTMIN+2", Signals.name(36));
    assertEquals(-1, Signals.number("NOPE"));
    assertEquals(-1, Signals.number(null));
  }
}
