package io.sshtunnel.api;

import java.util.Objects;

/**
 * One result of checking a tunnel configuration: what is wrong (or worth knowing), about which
 * property and mapping, in a message that quotes the value and says what to do.
 */
public final class Finding {
    /** {@link #mappingIndex()} of a finding that concerns no single mapping. */
    public static final int NO_MAPPING = -1;

    private final Severity severity;
    private final String code;
    private final String property;
    private final int mappingIndex;
    private final String message;

    /**
     * @param severity     how much it matters
     * @param code         a stable code such as {@code PORT_RANGE}
     * @param property     the configuration property it concerns, e.g. {@code server.port}
     * @param mappingIndex the 0-based index in {@code mappings}, or {@link #NO_MAPPING}
     * @param message      plain language: the value, what is wrong, what to do
     */
    public Finding(Severity severity, String code, String property, int mappingIndex, String message) {
        this.severity = Objects.requireNonNull(severity, "severity");
        this.code = Objects.requireNonNull(code, "code");
        this.property = Objects.requireNonNull(property, "property");
        this.mappingIndex = mappingIndex;
        this.message = Objects.requireNonNull(message, "message");
    }

    /**
     * A value as a message may quote it (and so a log line may show it): control characters
     * escaped as {@code \\uXXXX}, and cut after 200 characters.
     */
    public static String quote(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length() && i < 200; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (value.length() > 200) {
            b.append("... (").append(value.length()).append(" characters)");
        }
        return b.toString();
    }

    /**
     * At most {@code max} of the findings, errors first, in their order; when more are left, one
     * last finding ({@link FindingCodes#MORE_FINDINGS}, as severe as the worst left out) says how
     * many: {@code "... and 99,900 more"}. What a tunnel reports stays bounded however hostile its
     * configuration.
     */
    public static java.util.List<Finding> bounded(java.util.List<Finding> findings, int max) {
        if (findings.size() <= max) {
            return findings;
        }
        java.util.List<Finding> sorted = new java.util.ArrayList<>(findings);
        sorted.sort(java.util.Comparator.comparing(f -> !f.isError())); // stable: errors first, each in its order
        java.util.List<Finding> out = new java.util.ArrayList<>(sorted.subList(0, max));
        java.util.List<Finding> rest = sorted.subList(max, sorted.size());
        Severity worst = rest.stream().map(Finding::severity).min(java.util.Comparator.naturalOrder()).orElse(Severity.WARNING);
        out.add(new Finding(worst, FindingCodes.MORE_FINDINGS, rest.get(0).property(), NO_MAPPING,
                String.format(java.util.Locale.ROOT, "... and %,d more", rest.size())));
        return java.util.List.copyOf(out);
    }

    /** The messages of at most {@code max} findings, joined by {@code "; "}, with how many more there are. */
    public static String join(java.util.List<Finding> findings, int max) {
        StringBuilder b = new StringBuilder();
        for (Finding f : bounded(findings, max)) {
            b.append(b.length() == 0 ? "" : "; ").append(f.message());
        }
        return b.toString();
    }

    public static Finding error(String code, String property, String message) {
        return new Finding(Severity.ERROR, code, property, NO_MAPPING, message);
    }

    public static Finding mappingError(String code, int mappingIndex, String message) {
        return new Finding(Severity.ERROR, code, TunnelConstants.MAPPINGS, mappingIndex, message);
    }

    public Severity severity() {
        return severity;
    }

    public String code() {
        return code;
    }

    public String property() {
        return property;
    }

    public int mappingIndex() {
        return mappingIndex;
    }

    public String message() {
        return message;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Finding)) {
            return false;
        }
        Finding f = (Finding) o;
        return severity == f.severity && code.equals(f.code) && property.equals(f.property)
                && mappingIndex == f.mappingIndex && message.equals(f.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(severity, code, property, mappingIndex, message);
    }

    /** {@code ERROR PORT_RANGE: server.port 70000 is outside ...}, the form shown in logs; the message names the property. */
    @Override
    public String toString() {
        return severity + " " + code + ": " + message;
    }
}
