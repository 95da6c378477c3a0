package io.fleetrun.loadtest.report;

import io.fleetrun.loadtest.StepResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The chart of a stepped run, drawn with JFreeChart: throughput (left axis) and p95 submit-to-end
 * latency (right axis) against concurrency, the knee and the threshold marked. Headless.
 */
public final class StepsChart {
  private static final Color THROUGHPUT = new Color(0x1f, 0x77, 0xb4);
  private static final Color LATENCY = new Color(0xd6, 0x27, 0x28);

  private StepsChart() {}

  public static JFreeChart chart(StepsReport r) {
    XYSeries tps = new XYSeries("throughput (tasks/s)");
    XYSeries p95 = new XYSeries("p95 latency, submit to end (ms)");
    for (StepResult s : r.steps()) {
      tps.add(s.concurrency(), s.tasksPerSecond());
      p95.add(s.concurrency(), s.p95());
    }
    NumberAxis x = new NumberAxis("concurrency (tasks in flight = worker cap)");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis left = new NumberAxis("tasks/s");
    NumberAxis right = new NumberAxis("p95 latency (ms)");
    XYPlot plot = new XYPlot(new XYSeriesCollection(tps), x, left, renderer(THROUGHPUT));
    plot.setRangeAxis(1, right);
    plot.setDataset(1, new XYSeriesCollection(p95));
    plot.mapDatasetToRangeAxis(1, 1);
    plot.setRenderer(1, renderer(LATENCY));
    left.setLabelPaint(THROUGHPUT);
    left.setTickLabelPaint(THROUGHPUT);
    right.setLabelPaint(LATENCY);
    right.setTickLabelPaint(LATENCY);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    int maxLevel = r.steps().isEmpty() ? 1 : r.steps().get(r.steps().size() - 1).concurrency();
    if (r.knee().knee() != null) {
      plot.addDomainMarker(marker(r.knee().knee(), "knee: " + r.knee().knee(), new Color(0x2c, 0xa0, 0x2c), false));
    }
    if (r.threshold() <= maxLevel) {
      plot.addDomainMarker(marker(r.threshold(), "threshold " + r.threshold(), Color.DARK_GRAY, true));
    }
    String sub = r.knee().knee() != null ? "knee at " + r.knee().knee() + ", recommended cap " + r.knee().recommendedCap()
        : "no knee found; recommended cap " + r.knee().recommendedCap();
    JFreeChart chart = new JFreeChart("fleetrun loadtest steps: " + r.title() + " (" + sub + ")",
        new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  public static void writePng(StepsReport r, Path file) throws IOException {
    ChartUtils.saveChartAsPNG(file.toFile(), chart(r), 1000, 560);
  }

  private static XYLineAndShapeRenderer renderer(Color color) {
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, true);
    line.setSeriesPaint(0, color);
    line.setSeriesStroke(0, new BasicStroke(2.2f));
    return line;
  }

  private static ValueMarker marker(double at, String label, Color color, boolean dashed) {
    ValueMarker m = new ValueMarker(at);
    m.setPaint(color);
    m.setStroke(dashed ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
        : new BasicStroke(2f));
    m.setLabel(label);
    m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    m.setLabelPaint(color);
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    return m;
  }
}
