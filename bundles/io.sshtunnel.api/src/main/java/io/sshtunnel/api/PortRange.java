package io.sshtunnel.api;

/** An inclusive range of TCP ports, such as {@code 1024-65535}. Immutable. */
public final class PortRange {
    private final int from;
    private final int to;

    public PortRange(int from, int to) {
        if (from < 1 || to > 65535 || from > to) {
            throw new IllegalArgumentException("port range " + from + "-" + to + " is not within 1-65535 or is empty");
        }
        this.from = from;
        this.to = to;
    }

    /** Parses {@code 1024-65535} or a single port {@code 8080}. */
    public static PortRange parse(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        try {
            return dash < 0 ? new PortRange(Integer.parseInt(t), Integer.parseInt(t))
                    : new PortRange(Integer.parseInt(t.substring(0, dash).strip()), Integer.parseInt(t.substring(dash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port range \"" + text + "\" is not of the form 1024-65535");
        }
    }

    public int from() {
        return from;
    }

    public int to() {
        return to;
    }

    public boolean contains(int port) {
        return port >= from && port <= to;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortRange && ((PortRange) o).from == from && ((PortRange) o).to == to;
    }

    @Override
    public int hashCode() {
        return from * 65536 + to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
