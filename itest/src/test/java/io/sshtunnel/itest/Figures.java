package io.sshtunnel.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The one-line figures the reliability tests measure (detection and recovery times, leaks),
 * printed and collected in {@code itest/target/reliability-figures.md} so that versions can be compared.
 */
public final class Figures {
    private Figures() {
    }

    public static synchronized void record(String test, String what, String value) {
        String line = String.format(Locale.ROOT, "| %s | %s | %s |%n", test, what, value);
        System.out.print("FIGURE " + line);
        Path file = Path.of(System.getProperty("itest.figures", "target/reliability-figures.md"));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, "| test | figure | value |\n|---|---|---|\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("could not record the figure: " + e);
        }
    }

    public static void millis(String test, String what, long startNanos) {
        record(test, what, (System.nanoTime() - startNanos) / 1_000_000 + " ms");
    }
}
