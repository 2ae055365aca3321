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
    /** The fingerprint inside a whole {@code ssh-keygen -lf} line ({@code 256 SHA256:... comment (ED25519)}). */
    private static final Pattern IN_KEYGEN_LINE = Pattern.compile("^\\d+\\s+(" + FINGERPRINT.pattern() + ")(?![A-Za-z0-9+/])(\\s.*)?$");

    private Fingerprints() {
    }

    /** Whether the text is a fingerprint and nothing else. */
    public static boolean isValid(String text) {
        return text != null && FINGERPRINT.matcher(text).matches();
    }

    /**
     * The fingerprint a person meant: the text without surrounding white space, or the fingerprint
     * out of a whole line pasted from {@code ssh-keygen -lf}. Anything else is returned stripped, for
     * the rules to reject with a finding; {@code null} and blank give {@code null}.
     */
    public static String normalise(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.strip();
        Matcher m = IN_KEYGEN_LINE.matcher(s);
        return m.matches() ? m.group(1) : s;
    }
}
