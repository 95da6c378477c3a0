package io.fleetrun.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the host is short of memory, like GNU parallel's {@code --memfree}: short while the
 * kernel's {@code MemAvailable} is below the worker's minimum, and no longer short once it is
 * back above the minimum plus a tenth (so a host hovering at the line does not flap). Not
 * thread-safe: {@link #update(long)} runs on the worker's context, the read off it.
 */
final class HostMemory {
  private static final Logger LOG = LoggerFactory.getLogger(HostMemory.class);

  private final long minFreeBytes;
  private boolean shortOfMemory;

  /** @param minFreeBytes 0 disables the check */
  HostMemory(long minFreeBytes) {
    this.minFreeBytes = minFreeBytes;
  }

  boolean enabled() {
    return minFreeBytes > 0;
  }

  boolean isShort() {
    return shortOfMemory;
  }

  /** Takes a reading of available bytes; returns true when the state changed. */
  boolean update(long availableBytes) {
    boolean was = shortOfMemory;
    if (!shortOfMemory && availableBytes < minFreeBytes) {
      shortOfMemory = true;
      LOG.warn("host memory available {} MiB is below the minimum of {} MiB: taking no new task",
          availableBytes >> 20, minFreeBytes >> 20);
    } else if (shortOfMemory && availableBytes >= minFreeBytes + minFreeBytes / 10) {
      shortOfMemory = false;
      LOG.info("host memory available {} MiB again: taking tasks", availableBytes >> 20);
    }
    return was != shortOfMemory;
  }

  /** Reads {@code MemAvailable} from /proc/meminfo (blocking); Long.MAX_VALUE when unreadable. */
  static final LongSupplier PROC_MEMINFO = () -> {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no reading: do not stop the worker over it
    }
    return Long.MAX_VALUE;
  };
}
