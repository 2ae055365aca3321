package io.sshtunnel.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/** What one connection test found. Never holds a secret. Immutable. */
public final class ConnectionTestResult {
    /** How the test ended. */
    public enum Outcome {
        /** Connected and authenticated. */
        SUCCESS,
        /** The server's host name did not resolve, or no route to it. */
        UNREACHABLE,
        /** Nothing listens on the server's port (connection refused). */
        REFUSED,
        /** No answer within the connect timeout. */
        TIMED_OUT,
        /** The server presented another host key than the one pinned or trusted before. */
        HOST_KEY_MISMATCH,
        /** No fingerprint is pinned and fingerprint.required refuses trust on first use. */
        NOT_PINNED,
        /** The server rejected the credentials. */
        AUTH_REJECTED,
        /** The private key file cannot be used (wrong passphrase, not a private key, unreadable). */
        KEY_FILE,
        /** The request itself is incomplete (no host, no user, no credential). */
        INCOMPLETE,
        /** Anything else during the handshake. */
        FAILED
    }

    private final Outcome outcome;
    private final String message;
    private final String fingerprint;
    private final boolean firstUse;
    private final Duration took;
    private final Function<Locale, String> localizedMessage;

    public ConnectionTestResult(Outcome outcome, String message, String fingerprint, boolean firstUse, Duration took) {
        this(outcome, message, null, fingerprint, firstUse, took);
    }

    /**
     * As the other constructor, with the message also in other languages: {@link #message(Locale)}
     * asks it (a {@code null} answer is the English {@code message}).
     *
     * @since 1.5
     */
    public ConnectionTestResult(Outcome outcome, String message, Function<Locale, String> localizedMessage, String fingerprint,
            boolean firstUse, Duration took) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.message = Objects.requireNonNull(message, "message");
        this.fingerprint = fingerprint;
        this.firstUse = firstUse;
        this.took = Objects.requireNonNull(took, "took");
        this.localizedMessage = localizedMessage;
    }

    public Outcome outcome() { return outcome; }
    public boolean success() { return outcome == Outcome.SUCCESS; }
    /** One line for the user: what happened and, on failure, what to do. */
    public String message() { return message; }
    /**
     * {@link #message()} in the language of the locale (German or English).
     *
     * @since 1.5
     */
    public String message(Locale locale) {
        String m = localizedMessage == null || locale == null ? null : localizedMessage.apply(locale);
        return m != null ? m : message;
    }
    /** The fingerprint the server presented ({@code SHA256:...}), when the handshake got that far; else {@code null}. */
    public String fingerprint() { return fingerprint; }
    /**
     * Whether the key was neither pinned nor trusted before: saving the configuration without a
     * fingerprint would trust it on first use.
     */
    public boolean trustOnFirstUse() { return firstUse; }
    public Duration took() { return took; }

    @Override
    public String toString() {
        return outcome + ": " + message;
    }
}
