package tagger.loadtest.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Horizontal stacked bars as inline SVG: one bar per level, one segment per server stage, so where
 * the time goes can be compared across load levels at a glance.
 */
final class SvgStackedBars {
    private static final int WIDTH = 820;
    private static final int LABEL = 150;
    private static final int LEGEND = 170;
    private static final int ROW = 26;

    private final String title;
    private final String unit;
    private final List<String> labels = new ArrayList<>();
    private final List<Map<String, Double>> bars = new ArrayList<>();
    private final Map<String, String> colors = new LinkedHashMap<>();

    SvgStackedBars(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    SvgStackedBars bar(String label, Map<String, Double> segments) {
        labels.add(label);
        bars.add(segments);
        segments.keySet().forEach(k -> colors.computeIfAbsent(k, n -> SvgChart.COLORS[colors.size() % SvgChart.COLORS.length]));
        return this;
    }

    String render() {
        double max = bars.stream().mapToDouble(b -> b.values().stream().mapToDouble(Double::doubleValue).sum()).max().orElse(1);
        max = max <= 0 ? 1 : max;
        int height = 40 + Math.max(bars.size(), colors.size()) * ROW + 20;
        double plot = WIDTH - LABEL - LEGEND - 60;
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n", WIDTH, height,
                WIDTH, height, SvgChart.esc(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                SvgChart.esc(title)));
        for (int i = 0; i < bars.size(); i++) {
            double y = 36 + i * ROW;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>%n",
                    LABEL - 6, y + 14, SvgChart.esc(labels.get(i))));
            double x = LABEL;
            double total = 0;
            for (Map.Entry<String, Double> seg : bars.get(i).entrySet()) {
                double w = seg.getValue() / max * plot;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
                        + "<title>%s: %s %s</title></rect>%n", x, y, Math.max(0, w), colors.get(seg.getKey()),
                        SvgChart.esc(seg.getKey()), SvgChart.number(seg.getValue()), unit));
                x += w;
                total += seg.getValue();
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">%s %s</text>%n", x + 4, y + 14,
                    SvgChart.number(total), unit));
        }
        int ly = 40;
        for (Map.Entry<String, String> c : colors.entrySet()) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>%n", WIDTH - LEGEND + 10, ly - 11, c.getValue(),
                    WIDTH - LEGEND + 30, ly, SvgChart.esc(c.getKey())));
            ly += 18;
        }
        return s.append("</svg>\n").toString();
    }
}
