package io.fleetrun.worker.process;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the supervisor needs, bound by JNA direct mapping (no proxy, no varargs).
 *
 * <p>Constants and struct sizes are those of Linux x86_64 with glibc (checked against glibc
 * 2.36); {@link #checkPlatform()} refuses anything else. Functions that fail return -1 (or an
 * errno for the posix_spawn family); read the error with {@link #errno()} right after the call on
 * the same thread. Strings and arrays are passed as native memory built by {@link CStrings} so
 * their encoding is UTF-8 whatever the JVM's default charset.
 */
final class LibC {
  static final int ENOENT = 2;
  static final int ESRCH = 3;
  static final int EINTR = 4;
  static final int ECHILD = 10;
  static final int EAGAIN = 11;
  static final int ENOMEM = 12;
  static final int EACCES = 13;
  static final int ENFILE = 23;
  static final int EMFILE = 24;
  static final int EPERM = 1;
  static final int ENOSYS = 38;

  static final int O_RDONLY = 0;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;

  static final int SIGKILL = 9;
  static final int SIGTERM = 15;
  static final int SIGSTOP = 19;
  static final int WNOHANG = 1;

  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLLIN = 0x1;
  /** struct epoll_event is packed on x86_64: uint32 events, then uint64 data at offset 4. */
  static final int EPOLL_EVENT_BYTES = 12;

  static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  static final short POSIX_SPAWN_SETSID = 0x80;
  /** glibc x86_64: posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336; room to spare. */
  static final int SPAWN_STRUCT_BYTES = 1024;
  static final int SIGSET_BYTES = 128;
  /** struct rusage: two timevals (16 bytes each), then 14 longs; ru_maxrss (KiB) at offset 32. */
  static final int RUSAGE_BYTES = 144;

  static final long SYS_PIDFD_OPEN = 434;
  static final int PR_SET_CHILD_SUBREAPER = 36;

  static {
    Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
  }

  private LibC() {}

  /** Throws unless this is Linux x86_64, the only layout the constants above describe. */
  static void checkPlatform() {
    if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
      throw new UnsupportedOperationException(
          "the process supervisor needs Linux x86_64 (glibc); this is " + System.getProperty("os.name")
              + " " + System.getProperty("os.arch"));
    }
  }

  static int errno() {
    return Native.getLastError();
  }

  static native int posix_spawn(
      int[] pid, Pointer path, Pointer fileActions, Pointer attr, Pointer argv, Pointer envp);

  static native int posix_spawn_file_actions_init(Pointer actions);

  static native int posix_spawn_file_actions_destroy(Pointer actions);

  static native int posix_spawn_file_actions_addopen(
      Pointer actions, int fd, Pointer path, int oflag, int mode);

  static native int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newFd);

  static native int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

  static native int posix_spawn_file_actions_addchdir_np(Pointer actions, Pointer path);

  static native int posix_spawnattr_init(Pointer attr);

  static native int posix_spawnattr_destroy(Pointer attr);

  static native int posix_spawnattr_setflags(Pointer attr, short flags);

  static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

  static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

  static native int sigemptyset(Pointer sigset);

  static native int pipe2(int[] fds, int flags);

  /** Declared with a fixed third argument; fine for F_GETFL/F_SETFL on x86_64. */
  static native int fcntl(int fd, int cmd, int arg);

  static native int close(int fd);

  static native long read(int fd, Pointer buf, long count);

  static native long write(int fd, Pointer buf, long count);

  static native int kill(int pid, int sig);

  /** prctl(2) with every argument a long: only PR_SET_CHILD_SUBREAPER is used. */
  static native int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  static native int wait4(int pid, int[] status, int options, Pointer rusage);

  static native int epoll_create1(int flags);

  static native int epoll_ctl(int epfd, int op, int fd, Pointer event);

  static native int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMs);

  static native int eventfd(int initval, int flags);

  /** For pidfd_open, which glibc 2.36 does not wrap. */
  static native long syscall(long number, long arg1, long arg2);

  static native String strerror(int errnum);
}
