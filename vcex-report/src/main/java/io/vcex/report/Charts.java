package io.vcex.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * Charts for reports, drawn by JFreeChart and returned as inline SVG (crisp at any zoom, no
 * files to carry along).
 */
public final class Charts {
    private static final Color BAR = new Color(0x3b6ea8);
    private static final Color HIGHLIGHT = new Color(0xc0392b);

    /** Counts charts in this JVM so that two charts of one page never share SVG ids. */
    private static final java.util.concurrent.atomic.AtomicInteger CHARTS = new java.util.concurrent.atomic.AtomicInteger();

    private Charts() {
    }

    /**
     * A bar chart, such as an attribute-sensitivity histogram.
     *
     * @param title chart title
     * @param axis value axis label
     * @param values category to value, in display order
     * @param highlight a category drawn in a warning colour, or null
     * @return SVG markup
     */
    public static String bars(String title, String axis, Map<String, Double> values, String highlight) {
        return svg(barChart(title, axis, values, highlight), Math.max(420, 70 * values.size()), 300);
    }

    /**
     * The same bar chart as a picture, for a PNG file (ZOOM's sensitivity histogram).
     *
     * @param title chart title
     * @param axis value axis label
     * @param values category to value, in display order
     * @param highlight a category drawn in a warning colour, or null
     * @return the chart, about 70 pixels per bar wide and 320 high
     */
    public static java.awt.image.BufferedImage barsImage(String title, String axis, Map<String, Double> values,
            String highlight) {
        return barChart(title, axis, values, highlight).createBufferedImage(Math.max(480, 80 * values.size()), 320);
    }

    private static JFreeChart barChart(String title, String axis, Map<String, Double> values, String highlight) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        values.forEach((k, v) -> data.addValue(v, "value", k));
        JFreeChart chart = ChartFactory.createBarChart(title, null, axis, data, PlotOrientation.VERTICAL, false, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        java.util.List<String> keys = new java.util.ArrayList<>(values.keySet());
        BarRenderer r = new BarRenderer() {
            private static final long serialVersionUID = 1L;

            @Override
            public java.awt.Paint getItemPaint(int row, int column) {
                return keys.get(column).equals(highlight) ? HIGHLIGHT : BAR;
            }
        };
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        plot.setRenderer(r);
        style(chart);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return chart;
    }

    /**
     * A line chart of one or more curves, such as a controllability curve (probability along a
     * direction) or a probability trajectory.
     *
     * @param title chart title
     * @param xLabel x axis label
     * @param yLabel y axis label
     * @param series name to (x, y) points
     * @return SVG markup
     */
    public static String lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                s.add(p[0], p[1]);
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        style(chart);
        return svg(chart, 480, 300);
    }

    /**
     * @param points y values at x = 0, 1, 2, ...
     * @return them as (x, y) points
     */
    public static List<double[]> indexed(double[] points) {
        List<double[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            out.add(new double[] {i, points[i]});
        }
        return out;
    }

    /**
     * @param name the single series' name
     * @param points its points
     * @return a one-series map for {@link #lines}
     */
    public static Map<String, List<double[]>> single(String name, List<double[]> points) {
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        m.put(name, points);
        return m;
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        }
    }

    private static String svg(JFreeChart chart, int width, int height) {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        // JFreeSVG's default id prefix is the clock; derive it from the chart so reports are reproducible
        g.setDefsKeyPrefix("c" + Integer.toHexString((chart.getTitle() == null ? "" : chart.getTitle().getText()).hashCode())
                + "_" + CHARTS.incrementAndGet() + "_");
        chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
        return g.getSVGElement();
    }
}
