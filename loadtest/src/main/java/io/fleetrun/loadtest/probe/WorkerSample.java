package io.fleetrun.loadtest.probe;

/**
 * The worker process's figures at one moment. Unknown figures are -1 ({@code cpuCores}: NaN), e.g.
 * the heap of a worker in another JVM read from /proc.
 *
 * @param cpuCores the process's CPU (children excluded) since the probe's previous sample, in
 *     cores (1.0 = one core busy)
 * @param liveChildren live task processes: from /proc, every process carrying the worker's mark
 *     (whole trees); from telemetry, the worker's running tasks (slots in use)
 * @param zombies children of the worker process in state Z
 */
public record WorkerSample(
    long atMs, double cpuCores, long rssBytes, long heapUsedBytes, int openFds, int threads, int zombies,
    int liveChildren) {
}
