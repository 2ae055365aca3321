package io.sshtunnel.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the figures of the last {@code mvn verify} ({@code itest/target/reliability-figures.md})
 * into docs/reliability.md, between its two markers: one row per figure, a figure
 * measured several times (the soak's recoveries) as its range.
 * Run with {@code mvn -B -pl itest exec:exec@reliability-table}.
 */
public final class FiguresTable {
    static final String BEGIN = "<!-- reliability-figures:begin -->";
    static final String END = "<!-- reliability-figures:end -->";
    private static final Pattern ROW = Pattern.compile("^\\| (.+?) \\| (.+?) \\| (.+?) \\|$");
    private static final Pattern MEASURE = Pattern.compile("(\\d+(?:\\.\\d+)?) (ms|s|MiB)");
    /** "minute 3: black hole → UP": the soak's per-minute rows become one row per fault. */
    private static final Pattern MINUTE = Pattern.compile("^(?:minute \\d+|\\d+ min): ");

    private FiguresTable() {
    }

    public static void main(String[] args) throws IOException {
        Path figures = Path.of(args[0]);
        Path readme = Path.of(args[1]);
        String table = table(Files.readAllLines(figures, StandardCharsets.UTF_8));
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(readme + " has no " + BEGIN + " … " + END + " section");
        }
        Files.writeString(readme, text.substring(0, begin + BEGIN.length()) + "\n" + table + text.substring(end),
                StandardCharsets.UTF_8);
        System.out.println("Reliability table in " + readme + " updated from " + figures);
    }

    static String table(List<String> lines) {
        // grouped by test, in the order the tests first reported
        Map<String, Map<String, List<String>>> rows = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = ROW.matcher(line.trim());
            if (!m.matches() || m.group(1).equals("test") || m.group(1).startsWith("---")) {
                continue;
            }
            String what = MINUTE.matcher(m.group(2)).replaceFirst("");
            rows.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).computeIfAbsent(what, k -> new ArrayList<>()).add(m.group(3));
        }
        StringBuilder out = new StringBuilder("| test | figure | value |\n|---|---|---|\n");
        rows.forEach((test, figures) -> figures.forEach((what, values) ->
                out.append("| ").append(test).append(" | ").append(what).append(" | ").append(summary(values)).append(" |\n")));
        return out.toString();
    }

    /** One value as it is; several as min–max when they are one measure in one unit, else the last. */
    static String summary(List<String> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        String unit = null;
        for (String v : values) {
            Matcher m = MEASURE.matcher(v);
            if (!m.matches() || (unit != null && !unit.equals(m.group(2)))) {
                return values.get(values.size() - 1) + " (last of " + values.size() + ")";
            }
            unit = m.group(2);
            double d = Double.parseDouble(m.group(1));
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        return String.format(Locale.ROOT, "%s–%s %s (%d times)", number(min), number(max), unit, values.size());
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
