package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.*;

import com.sun.jna.Memory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An epoll set (level-triggered, EPOLLIN) with an eventfd that wakes it from other threads.
 *
 * <p>Each registered fd carries a 64-bit token chosen by the caller; tokens, not fd numbers,
 * identify what became ready, so a stale event for a closed and reused fd number cannot reach a
 * new owner. Token {@link #WAKE} is the eventfd. All methods but {@link #wake()} are for the loop
 * thread only.
 */
final class Epoll implements AutoCloseable {
  static final long WAKE = 0;
  private static final int MAX_EVENTS = 256;

  private final int epfd;
  private final int eventFd;
  private final Memory events = new Memory((long) MAX_EVENTS * EPOLL_EVENT_BYTES);
  private final Memory ctl = new Memory(EPOLL_EVENT_BYTES);
  private final Memory drain = new Memory(Long.BYTES);
  private final Memory one = new Memory(Long.BYTES);
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private boolean closed; // guarded by this: no wake() may write to a closed, reused fd number

  Epoll() {
    epfd = epoll_create1(O_CLOEXEC);
    if (epfd < 0) {
      throw new IllegalStateException("epoll_create1: " + strerror(errno()));
    }
    eventFd = eventfd(0, O_CLOEXEC | O_NONBLOCK);
    if (eventFd < 0) {
      int e = errno();
      LibC.close(epfd);
      throw new IllegalStateException("eventfd: " + strerror(e));
    }
    one.setLong(0, 1);
    add(eventFd, WAKE);
  }

  /** Watches {@code fd} for readability; false (with errno) when the kernel refuses. */
  boolean add(int fd, long token) {
    ctl.setInt(0, EPOLLIN);
    ctl.setLong(4, token);
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ctl) == 0;
  }

  void remove(int fd) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, fd, null);
  }

  /** Waits up to {@code timeoutMs} (-1: forever); returns the number of ready tokens. */
  int await(int timeoutMs) {
    int n = epoll_wait(epfd, events, MAX_EVENTS, timeoutMs);
    if (n < 0) {
      int e = errno();
      if (e == EINTR) {
        return 0;
      }
      throw new IllegalStateException("epoll_wait: " + strerror(e));
    }
    return n;
  }

  long token(int index) {
    return events.getLong((long) index * EPOLL_EVENT_BYTES + 4);
  }

  /**
   * Resets the eventfd after a {@link #WAKE} token; the caller then drains its commands. The
   * counter is consumed before the flag is cleared: the other order can swallow a write made in
   * between and leave the flag set with nothing to read, and every later wake() would be skipped.
   */
  void clearWake() {
    LibC.read(eventFd, drain, Long.BYTES);
    wakePending.set(false);
  }

  /** Any thread: makes a sleeping {@link #await} return. Coalesced: one write per loop round. */
  void wake() {
    if (wakePending.compareAndSet(false, true)) {
      synchronized (this) {
        if (!closed) {
          LibC.write(eventFd, one, Long.BYTES);
        }
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      LibC.close(eventFd);
    }
    LibC.close(epfd);
    events.close();
    ctl.close();
    drain.close();
    one.close();
  }
}
