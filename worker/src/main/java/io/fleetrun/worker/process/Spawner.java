package io.fleetrun.worker.process;

import static io.fleetrun.worker.process.LibC.*;

import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one child with {@code posix_spawn}: its own session and process group (pid = sid =
 * pgid), an empty signal mask and every signal at its default action, stdin from /dev/null,
 * stdout and stderr into two fresh pipes, no other fd (closefrom 3), the task's cwd, and an
 * explicit envp.
 *
 * <p>A bare executable name is looked up here, on the child's own {@code PATH} (glibc's
 * posix_spawnp would search the worker's {@code PATH}). Failures, including a failed chdir or
 * exec inside the child (glibc reports them through posix_spawn's return value and reaps that
 * child itself), become a {@link SpawnException} with a readable reason; no fd survives them.
 *
 * <p>Loop thread only: the attribute and file-action blocks are reused, initialised and
 * destroyed around every spawn.
 */
final class Spawner implements AutoCloseable {
  /** A running child: its pid and the read ends (non-blocking, close-on-exec) of its pipes. */
  record Spawned(int pid, int stdoutFd, int stderrFd) {}

  /**
   * Why a child could not start; the message is the reason shown to users. {@code hostFault}
   * tells the worker's failures (no fds, no memory, no process slot, no cgroup) from the task's
   * own (a missing executable, a bad cwd): the same task may well start on another worker.
   */
  static final class SpawnException extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean hostFault;

    SpawnException(String reason) {
      this(reason, false);
    }

    SpawnException(String reason, boolean hostFault) {
      super(reason, null, false, false);
      this.hostFault = hostFault;
    }
  }

  private static final String FALLBACK_PATH = "/bin:/usr/bin";
  static final String SHELL = "/bin/sh";

  private final Memory attr = new Memory(SPAWN_STRUCT_BYTES);
  private final Memory actions = new Memory(SPAWN_STRUCT_BYTES);
  private final Memory emptyMask = new Memory(SIGSET_BYTES);
  private final Memory allSignals = new Memory(SIGSET_BYTES);
  private final Memory devNull = CStrings.string("/dev/null");

  Spawner() {
    sigemptyset(emptyMask);
    // Every bit set by hand: glibc's sigfillset leaves out its internal signals (32, 33), and
    // posix_spawn then sets those to SIG_IGN in the child, which survives exec.
    allSignals.setMemory(0, SIGSET_BYTES, (byte) 0xff);
  }

  /**
   * @param joinScript shell lines the child runs first, before the task's command (to join its
   *     cgroup), or null; with it the child starts as {@code /bin/sh}, which then runs the
   *     command in place ({@code sh -c}) or execs the argument vector
   */
  Spawned spawn(List<String> argv, Map<String, String> env, String cwd, String joinScript)
      throws SpawnException {
    validate(argv, env, cwd);
    String exe = resolveExecutable(argv.get(0), env.get("PATH"), cwd);
    if (joinScript != null) {
      argv = joined(argv, exe, cwd, joinScript);
      exe = SHELL;
    }
    int[] out = openPipe("stdout");
    int[] err;
    try {
      err = openPipe("stderr");
    } catch (SpawnException e) {
      closeAll(out[0], out[1]);
      throw e;
    }
    try (Memory path = CStrings.string(exe);
        Memory argvMem = CStrings.vector(argv);
        Memory envp = CStrings.vector(envEntries(env));
        Memory dir = cwd == null ? null : CStrings.string(cwd)) {
      int[] pid = new int[1];
      int rc = spawnWith(pid, path, argvMem, envp, dir, out[1], err[1]);
      if (rc != 0) {
        throw new SpawnException(describe(rc, exe, cwd), rc == EAGAIN || rc == ENOMEM || rc == EMFILE || rc == ENFILE);
      }
      return new Spawned(pid[0], out[0], err[0]);
    } catch (SpawnException e) {
      closeAll(out[0], err[0]);
      throw e;
    } finally {
      closeAll(out[1], err[1]); // the child holds its own copies of the write ends
    }
  }

  /**
   * The argument vector that joins first: a shell command gets the join lines in front of it (no
   * extra exec); an argument vector runs through {@code sh -c 'join; exec "$@"'} with its
   * executable already resolved, so a missing or unusable one still fails the spawn.
   */
  static List<String> joined(List<String> argv, String exe, String cwd, String joinScript)
      throws SpawnException {
    if (argv.size() == 3 && argv.get(0).equals(SHELL) && argv.get(1).equals("-c")) {
      return List.of(SHELL, "-c", joinScript + argv.get(2));
    }
    Path file = Path.of(cwd != null ? cwd : ".").resolve(exe);
    if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
      throw new SpawnException("executable " + exe + ": " + strerror(Files.exists(file) ? EACCES : ENOENT));
    }
    List<String> wrapped = new ArrayList<>(argv.size() + 4);
    wrapped.addAll(List.of(SHELL, "-c", joinScript + "exec \"$@\"", "fleetrun-join", exe));
    wrapped.addAll(argv.subList(1, argv.size()));
    return wrapped;
  }

  /** Returns posix_spawn's result (0 or the errno of a failed chdir/exec). */
  private int spawnWith(int[] pid, Memory path, Memory argv, Memory envp, Memory dir, int outW, int errW)
      throws SpawnException {
    posix_spawn_file_actions_init(actions);
    posix_spawnattr_init(attr);
    try {
      prepared(posix_spawn_file_actions_addopen(actions, 0, devNull, O_RDONLY, 0));
      prepared(posix_spawn_file_actions_adddup2(actions, outW, 1));
      prepared(posix_spawn_file_actions_adddup2(actions, errW, 2));
      prepared(posix_spawn_file_actions_addclosefrom_np(actions, 3));
      if (dir != null) {
        prepared(posix_spawn_file_actions_addchdir_np(actions, dir));
      }
      prepared(posix_spawnattr_setflags(
          attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
      prepared(posix_spawnattr_setsigmask(attr, emptyMask));
      prepared(posix_spawnattr_setsigdefault(attr, allSignals));
      return posix_spawn(pid, path, actions, attr, argv, envp);
    } finally {
      posix_spawnattr_destroy(attr);
      posix_spawn_file_actions_destroy(actions);
    }
  }

  /** The posix_spawn setup calls return an errno (ENOMEM, EBADF), never -1. */
  private static void prepared(int rc) throws SpawnException {
    if (rc != 0) {
      throw new SpawnException("cannot prepare the spawn: " + strerror(rc), true);
    }
  }

  /** pipe2 with O_CLOEXEC; only our read end becomes non-blocking (the child's must block). */
  private static int[] openPipe(String stream) throws SpawnException {
    int[] fds = new int[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      throw new SpawnException("cannot create the " + stream + " pipe: " + strerror(errno()), true);
    }
    int flags = fcntl(fds[0], F_GETFL, 0);
    if (flags < 0 || fcntl(fds[0], F_SETFL, flags | O_NONBLOCK) < 0) {
      int e = errno();
      closeAll(fds[0], fds[1]);
      throw new SpawnException("cannot configure the " + stream + " pipe: " + strerror(e), true);
    }
    return fds;
  }

  private static void validate(List<String> argv, Map<String, String> env, String cwd)
      throws SpawnException {
    for (String arg : argv) {
      if (CStrings.hasNul(arg)) {
        throw new SpawnException("argument contains a NUL character");
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      String key = e.getKey();
      if (key.isEmpty() || key.indexOf('=') >= 0 || CStrings.hasNul(key) || CStrings.hasNul(e.getValue())) {
        throw new SpawnException("invalid environment variable name or value: " + key);
      }
    }
    if (cwd != null && CStrings.hasNul(cwd)) {
      throw new SpawnException("cwd contains a NUL character");
    }
  }

  /** Like execvp's search, but over the child's PATH; relative entries resolve against cwd. */
  static String resolveExecutable(String name, String path, String cwd) throws SpawnException {
    if (name.isEmpty()) {
      throw new SpawnException("empty executable name");
    }
    if (name.indexOf('/') >= 0) {
      return name;
    }
    String search = path != null ? path : FALLBACK_PATH;
    Path base = Path.of(cwd != null ? cwd : ".");
    for (String dir : search.split(":", -1)) {
      String candidate = (dir.isEmpty() ? "." : dir) + "/" + name;
      Path file = base.resolve(candidate);
      if (Files.isRegularFile(file) && Files.isExecutable(file)) {
        return candidate;
      }
    }
    throw new SpawnException("executable " + name + " not found on PATH " + search);
  }

  /** posix_spawn gives one errno for chdir and exec; a missing or unusable cwd explains it first. */
  private static String describe(int errnum, String exe, String cwd) {
    String reason = strerror(errnum);
    if (cwd != null) {
      Path dir = Path.of(cwd);
      if (!Files.isDirectory(dir) || !Files.isExecutable(dir)) {
        return "cwd " + cwd + ": " + reason;
      }
    }
    return "executable " + exe + ": " + reason;
  }

  private static List<String> envEntries(Map<String, String> env) {
    List<String> entries = new ArrayList<>(env.size());
    env.forEach((k, v) -> entries.add(k + "=" + v));
    return entries;
  }

  static void closeAll(int... fds) {
    for (int fd : fds) {
      if (fd >= 0) {
        LibC.close(fd);
      }
    }
  }

  /** Frees the reused native blocks; call once, from the loop thread, after the last spawn. */
  @Override
  public void close() {
    attr.close();
    actions.close();
    emptyMask.close();
    allSignals.close();
    devNull.close();
  }
}
