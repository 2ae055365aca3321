package io.sshtunnel.core.ssh;

import io.sshtunnel.common.Reason;

/**
 * Why an SSH connection could not be opened. {@link #permanent()} failures are not retried until
 * the configuration changes: retrying a rejected password can lock a Windows account, and a
 * changed host key needs a human decision.
 */
public final class SshFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure the supervisor distinguishes. */
    public enum Kind {
        /** TCP connect refused, unreachable, name not resolved, connection reset. Retried. */
        NETWORK(false),
        /** No answer within connect.timeout.seconds. Retried. */
        TIMEOUT(false),
        /** The server presented another host key than the pinned fingerprint. Not retried. */
        HOST_KEY_MISMATCH(true),
        /** Trust on first use is refused (fingerprint.required) and no fingerprint is pinned: nothing was sent. Not retried. */
        NOT_PINNED(true),
        /** The server rejected every credential offered. Not retried. */
        AUTH_REJECTED(true),
        /**
         * The private key file cannot be used as it is (a wrong or missing passphrase, not a private
         * key). Not retried: the file or the configuration must change first.
         */
        KEY_FILE(true),
        /** A problem on this machine: the key file missing or unreadable now, a runtime library failing. Retried. */
        LOCAL(false),
        /** Anything else during the handshake. Retried. */
        PROTOCOL(false),
        /**
         * The jump host's tunnel ({@code via}) failed for good (its key changed, its login rejected):
         * this one waits for it, and follows as soon as it is up again.
         */
        HOP(true),
        /**
         * The proxy ({@code proxy}) wants a user name and password, or rejected the ones given (HTTP
         * 407, a refused SOCKS login). Not retried: the configuration must change first.
         */
        PROXY_AUTH(true);

        private final boolean permanent;

        Kind(boolean permanent) {
            this.permanent = permanent;
        }
    }

    private final Kind kind;
    private final String presentedFingerprint;
    private final Reason reason;

    public SshFailure(Kind kind, String message, Throwable cause) {
        this(kind, Reason.literal(message), cause, null);
    }

    public SshFailure(Kind kind, Reason reason, Throwable cause) {
        this(kind, reason, cause, null);
    }

    /** A failure after the server presented its host key, e.g. a key that does not match the pinned one. */
    public SshFailure(Kind kind, Reason reason, Throwable cause, String presentedFingerprint) {
        super(reason.english(), cause);
        this.kind = kind;
        this.reason = reason;
        this.presentedFingerprint = presentedFingerprint;
    }

    /** The message in words for the operator, in any language; {@link #getMessage()} is its English. */
    public Reason reason() {
        return reason;
    }

    /** The fingerprint of the host key the server presented, when the handshake got that far; else {@code null}. */
    public String presentedFingerprint() {
        return presentedFingerprint;
    }

    public Kind kind() {
        return kind;
    }

    public boolean permanent() {
        return kind.permanent;
    }
}
