package tagger.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart drawn as inline SVG (no script, no fonts to fetch), so the HTML report opens offline:
 * series with markers and hover titles, optional log y axis, reference lines and shaded bands.
 */
final class SvgChart {
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
            "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 820;
    private static final int HEIGHT = 330;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 34;
    private static final int BOTTOM = 48;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Mark> vertical = new ArrayList<>();
    private final List<Mark> horizontal = new ArrayList<>();
    private final List<double[]> bands = new ArrayList<>();
    private boolean logY;
    private List<Double> xTicks;
    private DoubleFunction<String> xTickText = SvgChart::number;

    private record Series(String name, List<double[]> points, String color) {
    }

    private record Mark(double at, String label, String color) {
    }

    SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    SvgChart logY() {
        this.logY = true;
        return this;
    }

    /** Fixed x ticks with their own labels (e.g. percentiles on a "nines" axis). */
    SvgChart xTicks(List<Double> ticks, DoubleFunction<String> text) {
        this.xTicks = ticks;
        this.xTickText = text;
        return this;
    }

    SvgChart series(String name, List<double[]> points) {
        series.add(new Series(name, points, COLORS[series.size() % COLORS.length]));
        return this;
    }

    SvgChart vertical(double x, String label) {
        vertical.add(new Mark(x, label, "#d62728"));
        return this;
    }

    SvgChart horizontal(double y, String label) {
        horizontal.add(new Mark(y, label, "#9467bd"));
        return this;
    }

    /** A shaded stretch of the x axis (e.g. a warm-up). */
    SvgChart band(double fromX, double toX) {
        bands.add(new double[] {fromX, toX});
        return this;
    }

    String render() {
        double[] xs = range(true);
        double[] ys = range(false);
        Axis x = new Axis(xs[0], xs[1], false, LEFT, WIDTH - RIGHT);
        Axis y = new Axis(ys[0], ys[1], logY, HEIGHT - BOTTOM, TOP);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                + "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT, esc(title)));
        s.append(text(LEFT, 20, title, "start", "font-weight:bold;font-size:14px"));
        for (double[] b : bands) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#f0f0f0\"/>%n",
                    x.at(b[0]), TOP, Math.max(0, x.at(b[1]) - x.at(b[0])), HEIGHT - TOP - BOTTOM));
        }
        for (double t : xTicks != null ? xTicks : x.ticks()) {
            if (t < xs[0] || t > xs[1]) {
                continue;
            }
            s.append(line(x.at(t), TOP, x.at(t), HEIGHT - BOTTOM, "#e5e5e5", ""));
            s.append(text(x.at(t), HEIGHT - BOTTOM + 16, xTickText.apply(t), "middle", ""));
        }
        for (double t : y.ticks()) {
            s.append(line(LEFT, y.at(t), WIDTH - RIGHT, y.at(t), "#e5e5e5", ""));
            s.append(text(LEFT - 6, y.at(t) + 4, number(t), "end", ""));
        }
        s.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#333", ""));
        s.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333", ""));
        s.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 10, xLabel, "middle", ""));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" "
                + "text-anchor=\"middle\" font-size=\"12\">%s</text>%n", (TOP + HEIGHT - BOTTOM) / 2.0,
                (TOP + HEIGHT - BOTTOM) / 2.0, esc(yLabel)));
        for (Mark m : horizontal) {
            if (m.at >= ys[0] && m.at <= ys[1]) {
                s.append(line(LEFT, y.at(m.at), WIDTH - RIGHT, y.at(m.at), m.color, "stroke-dasharray=\"6 4\""));
                s.append(text(LEFT + 6, y.at(m.at) - 4, m.label, "start", "fill:" + m.color));
            }
        }
        for (Mark m : vertical) {
            s.append(line(x.at(m.at), TOP, x.at(m.at), HEIGHT - BOTTOM, m.color, "stroke-dasharray=\"6 4\""));
            s.append(text(x.at(m.at) + 4, TOP + 12, m.label, "start", "fill:" + m.color + ";font-weight:bold"));
        }
        int legendY = TOP + 6;
        for (Series ser : series) {
            StringBuilder pts = new StringBuilder();
            for (double[] p : ser.points) {
                if (!logY || p[1] > 0) {
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(p[0]), y.at(p[1])));
                }
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    ser.color, pts.toString().trim()));
            if (ser.points.size() <= 60) {
                for (double[] p : ser.points) {
                    if (!logY || p[1] > 0) {
                        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: "
                                + "%s at %s</title></circle>%n", x.at(p[0]), y.at(p[1]), ser.color, esc(ser.name),
                                number(p[1]), esc(xTickText.apply(p[0]))));
                    }
                }
            }
            s.append(line(WIDTH - RIGHT + 14, legendY, WIDTH - RIGHT + 34, legendY, ser.color, "stroke-width=\"3\""));
            s.append(text(WIDTH - RIGHT + 40, legendY + 4, ser.name, "start", ""));
            legendY += 18;
        }
        return s.append("</svg>\n").toString();
    }

    private double[] range(boolean forX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series ser : series) {
            for (double[] p : ser.points) {
                double v = forX ? p[0] : p[1];
                if (forX || !logY || v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        for (Mark m : forX ? vertical : horizontal) {
            min = Math.min(min, m.at);
            max = Math.max(max, m.at);
        }
        if (forX && xTicks != null) {
            for (double t : xTicks) {
                min = Math.min(min, t);
                max = Math.max(max, t);
            }
        }
        if (!Double.isFinite(min)) {
            return new double[] {logY && !forX ? 0.1 : 0, 1};
        }
        if (!forX && !logY) {
            min = Math.min(0, min);
        }
        if (logY && !forX) {
            min = Math.pow(10, Math.floor(Math.log10(min)));
            max = Math.pow(10, Math.ceil(Math.log10(max)));
            if (max <= min) {
                max = min * 10;
            }
        }
        if (max <= min) {
            max = min + 1;
        }
        return new double[] {min, max};
    }

    /** Maps data to pixels along one axis. */
    private record Axis(double min, double max, boolean log, double fromPx, double toPx) {
        double at(double v) {
            double f = log ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))
                    : (v - min) / (max - min);
            return fromPx + f * (toPx - fromPx);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                boolean dense = Math.log10(max / min) <= 2;
                for (double d = min; d <= max * 1.0001; d *= 10) {
                    ticks.add(d);
                    if (dense && d * 2 < max) {
                        ticks.add(d * 2);
                    }
                    if (dense && d * 5 < max) {
                        ticks.add(d * 5);
                    }
                }
                return ticks;
            }
            double rough = (max - min) / 5;
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double step = rough / magnitude >= 5 ? 10 * magnitude : rough / magnitude >= 2 ? 5 * magnitude
                    : rough / magnitude >= 1 ? 2 * magnitude : magnitude;
            for (double t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
                ticks.add(t);
            }
            return ticks;
        }
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String line(double x1, double y1, double x2, double y2, String color, String extra) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" %s/>%n",
                x1, y1, x2, y2, color, extra);
    }

    private static String text(double x, double y, String text, String anchor, String style) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"11\"%s>%s</text>%n",
                x, y, anchor, style.isEmpty() ? "" : " style=\"" + style + "\"", esc(text));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
