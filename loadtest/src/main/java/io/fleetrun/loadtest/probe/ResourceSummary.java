package io.fleetrun.loadtest.probe;

/**
 * The worker's and the host's figures over one window (a step), from samples taken every few
 * hundred ms. CPU figures are averages over the window in percent (host: of all cores; worker
 * process: of one core, as {@code top} shows it); sizes and counts are the highest sample, except
 * {@code childrenAvg}. Unknown figures are -1 (NaN for percentages).
 *
 * @param spawn the worker's own spawn latency over the window (from its telemetry)
 */
public record ResourceSummary(
    int samples, double hostCpuPct, double workerCpuPct, long rssMaxBytes, long heapMaxBytes, int fdsMax,
    int threadsMax, int zombiesMax, double childrenAvg, int childrenMax, SpawnStats spawn) {
}
