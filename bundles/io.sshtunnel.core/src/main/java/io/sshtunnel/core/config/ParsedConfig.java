package io.sshtunnel.core.config;

import java.util.List;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.core.ssh.Credentials;

/**
 * A configuration as read: the spec (always present, with defaults where values were bad), the
 * credentials (absent when the configuration has errors), and the findings.
 */
public final class ParsedConfig {
    private final TunnelSpec spec;
    private final Credentials credentials;
    private final List<Finding> findings;
    private final String suspended;
    /** The reader's own findings worded in another language, or null when it had none. */
    private final java.util.function.Function<java.util.Locale, List<Finding>> readerFindingsIn;

    ParsedConfig(TunnelSpec spec, Credentials credentials, List<Finding> findings) {
        this(spec, credentials, findings, null, null);
    }

    private ParsedConfig(TunnelSpec spec, Credentials credentials, List<Finding> findings, String suspended,
            java.util.function.Function<java.util.Locale, List<Finding>> readerFindingsIn) {
        this.spec = spec;
        this.credentials = credentials;
        this.findings = List.copyOf(findings);
        this.suspended = suspended;
        this.readerFindingsIn = readerFindingsIn;
    }

    ParsedConfig withReaderFindingsIn(java.util.function.Function<java.util.Locale, List<Finding>> in) {
        return new ParsedConfig(spec, credentials, findings, suspended, in);
    }

    /** The findings of reading the properties (not the validators'), worded in the language of the locale. */
    public List<Finding> readerFindings(java.util.Locale locale) {
        return readerFindingsIn == null ? List.of() : readerFindingsIn.apply(locale);
    }

    /**
     * Why the tunnel must not run although it is enabled (its owning module is not active), or
     * {@code null}: then it is {@code DISABLED} with this reason.
     */
    public String suspended() {
        return suspended;
    }

    /** The same configuration, held back for the reason given ({@code null}: not held back). */
    public ParsedConfig withSuspension(String reason) {
        return java.util.Objects.equals(reason, suspended) ? this : new ParsedConfig(spec, credentials, findings, reason, readerFindingsIn);
    }

    public TunnelSpec spec() {
        return spec;
    }

    /** {@code null} when the configuration itself could not be read without errors. */
    public Credentials credentials() {
        return credentials;
    }

    public List<Finding> findings() {
        return findings;
    }

    /** The same configuration with further findings (from validators) added. */
    public ParsedConfig withFindings(List<Finding> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        List<Finding> all = new java.util.ArrayList<>(findings);
        all.addAll(extra);
        return new ParsedConfig(spec, credentials, all, suspended, readerFindingsIn);
    }

    /** The same configuration without any finding: as validators see it in a pass (the reader's own findings aside). */
    public ParsedConfig withoutFindings() {
        return findings.isEmpty() ? this : new ParsedConfig(spec, credentials, List.of(), suspended, null);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }
}
