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

    ParsedConfig(TunnelSpec spec, Credentials credentials, List<Finding> findings) {
        this.spec = spec;
        this.credentials = credentials;
        this.findings = List.copyOf(findings);
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
        return new ParsedConfig(spec, credentials, all);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }
}
