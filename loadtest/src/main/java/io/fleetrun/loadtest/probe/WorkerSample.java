package io.fleetrun.loadtest.probe;

/**
 * The worker process's figures at one moment. Unknown figures are -1 ({@code cpuCores}: NaN), e.g.
 * the heap of a worker in another JVM read from /proc.
 *
 * @param cpuCores the process's CPU (children excluded) since the probe's previous sample, in
 *     cores (1.0 = one core busy)
 * @param liveChildren children of the worker process that are task processes and not zombies
 * @param zombies children of the worker process in state Z
 */
public record WorkerSample(
    long atMs, double cpuCores, long rssBytes, long heapUsedBytes, int openFds, int threads, int zombies,
    int liveChildren) {
}
