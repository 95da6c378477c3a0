package io.fleetrun.coordinator;

/**
 * A request the coordinator refuses, with the HTTP status and, when one field is to blame, its
 * path (e.g. {@code tasks[3].timeoutMs}). Expected, so it carries no stack trace.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;

  public ApiException(int status, String message, String field) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ApiException badRequest(String message, String field) {
    return new ApiException(400, message, field);
  }

  public int status() {
    return status;
  }

  /** The JSON path or parameter name at fault, or null. */
  public String field() {
    return field;
  }
}
