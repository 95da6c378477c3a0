package io.fleetrun.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind what it did not have before it: open pipes, sockets and
 * anonymous inodes (epoll, eventfd, pidfd) of this JVM, live threads, or child processes (live or
 * zombie). In the spirit of Go's goleak: the check runs after the test's own {@code @AfterEach},
 * and gives asynchronous shutdowns a settle time before it fails, naming what leaked.
 *
 * <p>Not counted: regular files (the class loader keeps jars open once used), JVM and JDK
 * infrastructure threads that start on first use and stay (compiler threads, cleaners, the
 * common pool, a shared java.net.http client's pool), and resources a test class set up in {@code @BeforeAll} (the shared broker:
 * call {@link TestKafka#bootstrap()} there).
 */
public final class LeakGuard implements BeforeEachCallback, AfterEachCallback {
  private static final long SETTLE_MS = 5_000;
  private static final Pattern INFRA_THREADS = Pattern.compile(
      "C[12] CompilerThread\\d+|JNA Cleaner|Common-Cleaner|process reaper|Attach Listener"
          + "|ForkJoinPool\\.commonPool-worker-\\d+|surefire-.*|Keep-Alive-.*|Cleaner-\\d+|junit-jupiter-timeout-watcher"
          + "|HttpClient-\\d+-SelectorManager|HttpClient-\\d+-Worker-\\d+");
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakGuard.class);

  /** What the JVM holds at one moment. */
  record Snapshot(Map<String, String> fds, Set<Thread> threads, Set<Long> children) {}

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("before", snapshot());
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    Snapshot before = context.getStore(NS).remove("before", Snapshot.class);
    long deadline = System.currentTimeMillis() + SETTLE_MS;
    List<String> leaks = leaks(before, snapshot());
    while (!leaks.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      leaks = leaks(before, snapshot());
    }
    if (!leaks.isEmpty()) {
      throw new AssertionError("leaked by " + context.getDisplayName() + " (after " + SETTLE_MS
          + " ms): " + String.join("; ", leaks));
    }
  }

  /** Everything in {@code after} that is not in {@code before}, described; empty when clean. */
  static List<String> leaks(Snapshot before, Snapshot after) {
    List<String> out = new ArrayList<>();
    after.fds().forEach((fd, target) -> {
      if (!target.equals(before.fds().get(fd))) {
        out.add("fd " + fd + " -> " + target);
      }
    });
    for (Thread t : after.threads()) {
      if (!before.threads().contains(t) && !INFRA_THREADS.matcher(t.getName()).matches()) {
        out.add("thread '" + t.getName() + "'");
      }
    }
    for (long pid : after.children()) {
      if (!before.children().contains(pid)) {
        out.add("child process " + pid + " " + describe(pid));
      }
    }
    return out;
  }

  static Snapshot snapshot() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive()) {
        threads.add(t);
      }
    }
    Set<Long> children = new HashSet<>();
    ChildProcesses.childrenOfThisJvm().forEach(p -> children.add(p.pid()));
    return new Snapshot(watchedFds(), threads, children);
  }

  /** fd number to link target, for pipes, sockets and anonymous inodes only. */
  private static Map<String, String> watchedFds() {
    Map<String, String> fds = new HashMap<>();
    try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
      list.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("pipe:") || target.startsWith("socket:") || target.startsWith("anon_inode:")) {
            fds.put(fd.getFileName().toString(), target);
          }
        } catch (IOException e) {
          // closed while we looked (the listing's own fd, among others)
        }
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return fds;
  }

  private static String describe(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String cmd = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"))).replace('\0', ' ').trim();
      return "state " + stat.charAt(stat.lastIndexOf(')') + 2) + " '" + cmd + "'";
    } catch (IOException e) {
      return "(gone)";
    }
  }
}
