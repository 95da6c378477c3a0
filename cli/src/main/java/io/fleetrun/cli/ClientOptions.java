package io.fleetrun.cli;

import picocli.CommandLine.Option;

/** How a command reaches a running coordinator. */
final class ClientOptions {
  @Option(
      names = "--coordinator",
      paramLabel = "URL",
      defaultValue = "${env:FLEETRUN_COORDINATOR:-http://127.0.0.1:8080}",
      description = "Coordinator base URL (env FLEETRUN_COORDINATOR; default ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--token",
      defaultValue = "${env:FLEETRUN_TOKEN}",
      description = "Bearer token, when the coordinator demands one (env FLEETRUN_TOKEN).")
  String token;

  CoordinatorClient client() {
    return new CoordinatorClient(url, token);
  }
}
