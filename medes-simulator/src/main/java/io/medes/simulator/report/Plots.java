package io.medes.simulator.report;

import io.medes.simulator.SimulationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a sweep, drawn with XChart (headless AWT). */
public final class Plots {
  private Plots() {}

  /** One line per policy of {@code metric} against the per-node cap. */
  public static void metricVsCap(List<SimulationResult> results, String title, String yLabel,
      ToDoubleFunction<SimulationResult> metric, boolean logY, Path file) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
        .xAxisTitle("memory cap per node (MB)").yAxisTitle(yLabel).build();
    style(chart);
    chart.getStyler().setYAxisLogarithmic(logY);
    for (Map.Entry<String, List<SimulationResult>> e : byPolicy(results).entrySet()) {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (SimulationResult r : e.getValue()) {
        x.add(r.memCapMb());
        y.add(Math.max(logY ? 1 : 0, metric.applyAsDouble(r)));
      }
      chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    save(chart, file);
  }

  /** Cluster memory in use over time, one line per policy, for runs at one cap. */
  public static void memoryOverTime(List<SimulationResult> sameCap, Path file) {
    if (sameCap.isEmpty()) {
      return;
    }
    SimulationResult first = sameCap.get(0);
    XYChart chart = new XYChartBuilder().width(900).height(560)
        .title(String.format("Cluster memory in use, %d nodes x %.0f MB (%s)", first.nodes(), first.memCapMb(), first.trace()))
        .xAxisTitle("time (h)").yAxisTitle("memory in use (GB)").build();
    style(chart);
    for (SimulationResult r : sameCap) {
      double[] mem = r.memorySeriesMb();
      double[] x = new double[mem.length];
      double[] y = new double[mem.length];
      for (int i = 0; i < mem.length; i++) {
        x[i] = (i + 1) / 60.0;
        y[i] = mem[i] / 1024.0;
      }
      chart.addSeries(r.policy(), x, y).setMarker(SeriesMarkers.NONE);
    }
    save(chart, file);
  }

  /** Dedup and base sandboxes over time for one run. */
  public static void dedupOverTime(SimulationResult r, Path file) {
    int[] dedup = r.dedupSeries();
    int[] bases = r.baseSeries();
    double[] x = new double[dedup.length];
    double[] d = new double[dedup.length];
    double[] b = new double[dedup.length];
    for (int i = 0; i < dedup.length; i++) {
      x[i] = (i + 1) / 60.0;
      d[i] = dedup[i];
      b[i] = bases[i];
    }
    XYChart chart = new XYChartBuilder().width(900).height(560)
        .title(String.format("%s: dedup and base sandboxes, %d nodes x %.0f MB", r.policy(), r.nodes(), r.memCapMb()))
        .xAxisTitle("time (h)").yAxisTitle("sandboxes").build();
    style(chart);
    chart.addSeries("dedup", x, d).setMarker(SeriesMarkers.NONE);
    chart.addSeries("base", x, b).setMarker(SeriesMarkers.NONE);
    save(chart, file);
  }

  private static Map<String, List<SimulationResult>> byPolicy(List<SimulationResult> results) {
    Map<String, List<SimulationResult>> out = new LinkedHashMap<>();
    for (SimulationResult r : results) {
      out.computeIfAbsent(r.policy(), k -> new ArrayList<>()).add(r);
    }
    return out;
  }

  private static void style(XYChart chart) {
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setPlotGridLinesVisible(true);
  }

  private static void save(XYChart chart, Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + file, e);
    }
  }
}
