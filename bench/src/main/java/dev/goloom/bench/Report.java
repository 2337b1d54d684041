package dev.goloom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formatting of figures and tables: plain text (terminal), Markdown, and the SVG ratio chart. */
public final class Report {
    private Report() {
    }

    /** A figure with summarize.py's precision: 12,345 / 123 / 12.3 / 1.23. */
    public static String fmt(double x) {
        double a = Math.abs(x);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        return String.format(Locale.ROOT, "%.2f", x);
    }

    /** A median with its spread ("1,234 ±5%"), or the reason it is missing. */
    public static String cell(Stats s, String missing) {
        if (s == null) {
            return missing;
        }
        String m = fmt(s.median());
        if (s.n() > 1) {
            m += String.format(Locale.ROOT, " ±%.0f%%", s.spread() * 100);
        }
        return m;
    }

    /** A ratio: "0.85x". */
    public static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "-";
        }
        return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : "%.2fx", r);
    }

    /** An aligned plain-text table: first column rows, then one column per head. */
    public static String textTable(String corner, String[] head, String[] rows, String[][] cells) {
        int cols = head.length + 1;
        int[] w = new int[cols];
        w[0] = corner.length();
        for (String r : rows) {
            w[0] = Math.max(w[0], r.length());
        }
        for (int c = 0; c < head.length; c++) {
            w[c + 1] = head[c].length();
            for (String[] row : cells) {
                w[c + 1] = Math.max(w[c + 1], row[c].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, w, corner, head);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(w[c]));
        }
        b.append(rule).append('\n');
        for (int r = 0; r < rows.length; r++) {
            line(b, w, rows[r], cells[r]);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int[] w, String first, String[] rest) {
        b.append(pad(first, w[0], false));
        for (int c = 0; c < rest.length; c++) {
            b.append(" | ").append(pad(rest[c], w[c + 1], true));
        }
        b.append('\n');
    }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }

    /** A Markdown table. */
    public static String markdown(String corner, String[] head, String[] rows, String[][] cells) {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(corner);
        for (String h : head) {
            b.append(" | ").append(h);
        }
        b.append(" |\n|---");
        for (int i = 0; i < head.length; i++) {
            b.append("|---:");
        }
        b.append("|\n");
        for (int r = 0; r < rows.length; r++) {
            b.append("| ").append(rows[r]);
            for (String c : cells[r]) {
                b.append(" | ").append(c.replace("|", "\\|"));
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    /** One bar group of the chart: a row label and goloom's ratios to Go and to the best JVM peer. */
    public record Bar(String label, double toGo, double toJvm) {
    }

    /**
     * A horizontal bar chart of goloom's ratios on a log scale (1x in the middle, bars to the left
     * where goloom is faster), written as plain SVG.
     */
    public static String svg(String title, List<Bar> bars) {
        int labelW = 380;
        int plotW = 520;
        int rowH = 34;
        int top = 64;
        int h = top + bars.size() * rowH + 50;
        int w = labelW + plotW + 40;
        double maxLog = Math.log10(16); // plot spans 1/16x .. 16x
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n", w, h, w, h));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", w, h));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
                esc(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"42\" fill=\"#444\">goloom's cost (time, bytes; for requests/s the inverse)"
                + " divided by the other's, log scale: left of 1x goloom does better.</text>\n"));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"30\" width=\"12\" height=\"10\" fill=\"#00add8\"/>"
                + "<text x=\"%d\" y=\"40\">vs Go 1.19</text>\n", labelW + plotW - 190, labelW + plotW - 174));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"46\" width=\"12\" height=\"10\" fill=\"#e76f00\"/>"
                + "<text x=\"%d\" y=\"56\">vs best JVM peer</text>\n", labelW + plotW - 190, labelW + plotW - 174));
        double mid = labelW + plotW / 2.0;
        double scale = (plotW / 2.0) / maxLog;
        for (double tick : new double[] {1 / 16.0, 0.25, 0.5, 1, 2, 4, 16}) {
            double x = mid + Math.log10(tick) * scale;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>\n",
                    x, top - 4, x, top + bars.size() * rowH, tick == 1 ? "#000" : "#ddd"));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">%s</text>\n",
                    x, top + bars.size() * rowH + 16, tick < 1 ? "1/" + Math.round(1 / tick) + "x" : Math.round(tick) + "x"));
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * rowH;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    labelW - 8, y + 20, esc(b.label())));
            bar(s, mid, scale, maxLog, y + 5, b.toGo(), "#00add8");
            bar(s, mid, scale, maxLog, y + 18, b.toJvm(), "#e76f00");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void bar(StringBuilder s, double mid, double scale, double maxLog, int y, double r, String color) {
        if (Double.isNaN(r) || r <= 0 || Double.isInfinite(r)) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#999\" font-size=\"10\">n/a</text>\n",
                    mid + 4, y + 9));
            return;
        }
        double l = Math.max(-maxLog, Math.min(maxLog, Math.log10(r)));
        double x1 = mid + Math.min(0, l) * scale;
        double width = Math.max(1, Math.abs(l) * scale);
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"11\" fill=\"%s\"/>\n",
                x1, y, width, color));
        double tx = l >= 0 ? x1 + width + 4 : x1 - 4;
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"%s\">%s</text>\n",
                tx, y + 9, l >= 0 ? "start" : "end", ratio(r)));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Splits long text lists for headers. */
    static List<String> list(String... s) {
        return new ArrayList<>(List.of(s));
    }
}
