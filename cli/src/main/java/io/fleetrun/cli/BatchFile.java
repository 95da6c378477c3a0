package io.fleetrun.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A batch file as the user gave it: JSON (a batch object) or text (one shell command per line). */
record BatchFile(Path path, byte[] body, boolean json, String name) {

  /** Reads the file, or {@code -} for standard input; JSON when it starts with '{'. */
  static BatchFile read(Path path) {
    try {
      byte[] body = path.toString().equals("-") ? System.in.readAllBytes() : Files.readAllBytes(path);
      String start = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8).stripLeading();
      boolean stdin = path.toString().equals("-") || path.getFileName() == null;
      String name = stdin ? "stdin" : path.getFileName().toString();
      return new BatchFile(path, body, start.startsWith("{"), name);
    } catch (NoSuchFileException e) {
      throw CliException.usage("batch file " + path + ": no such file");
    } catch (IOException e) {
      throw CliException.usage("batch file " + path + ": cannot read (" + e + ")");
    }
  }
}
