package tagger.launcher.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A small table of text cells, rendered for the console (aligned columns: the first left, the rest
 * right, as numbers read best) and as a Markdown table for docs/benchmarks.md.
 */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        if (header.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        this.header = List.of(header);
    }

    Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, the table has " + header.size()
                    + " columns " + header);
        }
        rows.add(List.of(cells));
        return this;
    }

    String console() {
        int[] widths = new int[header.size()];
        for (List<String> line : lines()) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], line.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendAligned(sb, header, widths);
        int total = widths.length * 2 - 2;
        for (int w : widths) {
            total += w;
        }
        sb.append("-".repeat(total)).append('\n');
        for (List<String> row : rows) {
            appendAligned(sb, row, widths);
        }
        return sb.toString();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        appendMarkdown(sb, header);
        sb.append("|---");
        sb.append("|--:".repeat(header.size() - 1));
        sb.append("|\n");
        for (List<String> row : rows) {
            appendMarkdown(sb, row);
        }
        return sb.toString();
    }

    private List<List<String>> lines() {
        List<List<String>> all = new ArrayList<>(rows.size() + 1);
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static void appendAligned(StringBuilder sb, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            line.append(c == 0 ? cell + pad : pad + cell);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    private static void appendMarkdown(StringBuilder sb, List<String> cells) {
        for (String cell : cells) {
            sb.append("| ").append(cell.replace("|", "\\|")).append(' ');
        }
        sb.append("|\n");
    }
}
