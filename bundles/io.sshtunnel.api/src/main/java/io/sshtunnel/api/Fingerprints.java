package io.sshtunnel.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Host key fingerprints as the configuration holds them: {@code SHA256:} and 43 characters of
 * unpadded base64, exactly as {@code ssh-keygen -lf} prints them. The one place that knows the
 * form: the configuration reader uses {@link #normalise(String)}, the validation rules
 * {@link #isValid(String)}.
 */
public final class Fingerprints {
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");
    /**
     * The fingerprint inside a whole line as tools print it: {@code ssh-keygen -lf} on Linux and
     * Windows ({@code 256 SHA256:... comment (ED25519)}), PuTTY ({@code ssh-ed25519 255 SHA256:...}),
     * OpenSSH's client ({@code ED25519 key fingerprint is SHA256:....}); base64 padding is dropped.
     */
    private static final Pattern IN_LINE = Pattern.compile("(?:^|[\\s(:])(" + FINGERPRINT.pattern() + ")=?(?=$|[\\s).,;])");

    private Fingerprints() {
    }

    /** Whether the text is a fingerprint and nothing else. */
    public static boolean isValid(String text) {
        return text != null && FINGERPRINT.matcher(text).matches();
    }

    /**
     * The fingerprint a person meant: the text without surrounding white space, or the fingerprint
     * out of a whole line pasted from {@code ssh-keygen -lf}, PuTTY or {@code ssh}. Anything else is returned stripped, for
     * the rules to reject with a finding; {@code null} and blank give {@code null}.
     */
    public static String normalise(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        Matcher m = IN_LINE.matcher(s);
        if (!m.find()) {
            return s;
        }
        String found = m.group(1);
        // two different fingerprints in one line: which one is meant is not for us to guess
        while (m.find()) {
            if (!m.group(1).equals(found)) {
                return s;
            }
        }
        return found;
    }
}
