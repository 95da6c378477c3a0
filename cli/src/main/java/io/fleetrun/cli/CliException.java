package io.fleetrun.cli;

/** A failure the user caused or can fix; printed as one line, without a stack trace. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A failure of fleetrun itself or its surroundings (exit {@link Fleetrun#EXIT_ERROR}). */
  CliException(String message) {
    this(message, Fleetrun.EXIT_ERROR);
  }

  CliException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Bad input from the user: a bad file, a rejected batch, an unknown id (exit 2). */
  static CliException usage(String message) {
    return new CliException(message, Fleetrun.EXIT_USAGE);
  }

  int exitCode() {
    return exitCode;
  }
}
