package io.fleetrun.common.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exclusive claim of one process on a broker data dir: an OS file lock on {@code
 * dir/broker.lock}, held for as long as the broker runs, plus the broker's pid in {@code
 * dir/broker.pid}.
 *
 * <p>The OS drops the lock when its holder dies, but the broker it started may still be shutting
 * down (it notices its parent's death a moment later). {@link #stopOrphanBroker} deals with such a
 * leftover before a new broker is started on the dir. Not thread-safe; owned by one {@link
 * EmbeddedBroker}.
 */
final class DataDirLock {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirLock.class);
  private static final String LOCK_FILE = "broker.lock";
  private static final String PID_FILE = "broker.pid";

  private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock without waiting.
   *
   * @throws IllegalStateException if another broker, in this JVM or another, uses the dir
   */
  static DataDirLock acquire(Path dir) {
    Path key;
    try {
      Files.createDirectories(dir);
      key = dir.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create broker data dir " + dir, e);
    }
    // Checked before opening the file: on Linux, closing any descriptor of a file drops every
    // lock this process holds on it, so a second channel must never be opened and closed.
    if (!HELD_IN_THIS_JVM.add(key)) {
      throw inUse(dir, "this JVM");
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(key.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(dir, "another process");
      }
      return new DataDirLock(key, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        closeQuietly(channel);
      }
      HELD_IN_THIS_JVM.remove(key);
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot lock broker data dir " + dir, io);
      }
      throw (RuntimeException) e;
    }
  }

  private static IllegalStateException inUse(Path dir, String who) {
    return new IllegalStateException("Kafka data dir " + dir + " is already in use by a broker of "
        + who + " (lock " + dir.resolve(LOCK_FILE) + " is held); give each broker its own data dir");
  }

  /** The locked dir, as a real path (symbolic links resolved). */
  Path dir() {
    return dir;
  }

  /** Records the pid of the broker started on this dir, for {@link #stopOrphanBroker}. */
  void writePid(long pid) throws IOException {
    Files.writeString(dir.resolve(PID_FILE), pid + "\n", StandardCharsets.US_ASCII);
  }

  /**
   * Stops a broker left running on this dir by a holder that died (its pid file names a live
   * BrokerMain of this dir): SIGTERM, up to 15 s, then SIGKILL. The lock proves it has no owner.
   */
  void stopOrphanBroker() {
    Optional<ProcessHandle> orphan = readPid().flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().commandLine()
            .map(c -> c.contains(EmbeddedBroker.MAIN_CLASS) && c.contains(dir.toString()))
            .orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    ProcessHandle h = orphan.get();
    LOG.warn("stopping Kafka broker pid {} left running on {} by a process that died", h.pid(), dir);
    h.destroy();
    try {
      h.onExit().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      h.destroyForcibly();
    }
  }

  private Optional<Long> readPid() {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve(PID_FILE)).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Releases the lock and removes the pid file; the lock file itself stays (deleting it races). */
  void release() {
    try {
      Files.deleteIfExists(dir.resolve(PID_FILE));
    } catch (IOException e) {
      LOG.debug("cannot delete pid file in {}", dir, e);
    }
    try {
      lock.release();
    } catch (IOException e) {
      LOG.debug("cannot release lock in {}", dir, e);
    }
    closeQuietly(channel);
    HELD_IN_THIS_JVM.remove(dir);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing to do: closing a lock file
    }
  }
}
