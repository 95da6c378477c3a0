package io.fleetrun.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a stepped run's Markdown, CSV and PNG chart into a directory, named after the workload. */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * Writes {@code steps-SLUG.md}, {@code .csv} and {@code .png} into {@code dir} (created if
   * missing); returns the three paths.
   */
  public static List<Path> write(StepsReport r, Path dir, String slug) throws IOException {
    Files.createDirectories(dir);
    Path md = dir.resolve("steps-" + slug + ".md");
    Path csv = dir.resolve("steps-" + slug + ".csv");
    Path png = dir.resolve("steps-" + slug + ".png");
    Files.writeString(md, MarkdownReport.render(r), StandardCharsets.UTF_8);
    Files.writeString(csv, CsvReport.render(r), StandardCharsets.UTF_8);
    StepsChart.writePng(r, png);
    return List.of(md, csv, png);
  }

  /** Fails now, before any work, when {@code dir} cannot be created or written. */
  public static void checkWritable(Path dir, String option) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".fleetrun-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(option + " " + dir + ": cannot write there (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }
  }
}
