package io.sshtunnel.shell.internal;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with a header and a rule, columns as wide as their widest cell (as Karaf's list commands print them). */
final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        this.header = header;
    }

    Table row(Object... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++) {
            Object c = i < cells.length ? cells[i] : null;
            r[i] = c == null ? "" : c.toString().replaceAll("\\p{Cntrl}", "?");
        }
        rows.add(r);
        return this;
    }

    @Override
    public String toString() {
        int[] w = new int[header.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = header[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, header, w);
        String[] rule = new String[w.length];
        for (int i = 0; i < w.length; i++) {
            rule[i] = "-".repeat(w[i]);
        }
        line(b, rule, w);
        for (String[] r : rows) {
            line(b, r, w);
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                l.append(" | ");
            }
            l.append(cells[i]);
            if (i < cells.length - 1) {
                l.append(" ".repeat(w[i] - cells[i].length()));
            }
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
