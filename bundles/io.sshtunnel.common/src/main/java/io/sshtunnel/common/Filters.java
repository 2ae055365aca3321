package io.sshtunnel.common;

/** LDAP filters (RFC 4515) for looking configurations and services up by a value. */
public final class Filters {
    private Filters() {
    }

    /** The value with the characters a filter reserves ({@code \ * ( )}) escaped. */
    public static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '*' || ch == '(' || ch == ')') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /** {@code (key=value)}, the value escaped. */
    public static String equal(String key, String value) {
        return "(" + key + "=" + escape(value) + ")";
    }
}
