package io.sshtunnel.api;

import java.util.List;

/**
 * What applying a template to a tunnel gives: the mappings to insert (placeholders filled, ports
 * moved to the nearest free ones), those the tunnel already has, and the findings the user must
 * still decide on. Immutable.
 */
public final class TemplateApplication {
    private final String templateId;
    private final List<PortMapping> added;
    private final List<PortMapping> present;
    private final List<PortMapping> mappings;
    private final List<Finding> findings;

    public TemplateApplication(String templateId, List<PortMapping> added, List<PortMapping> present,
            List<PortMapping> mappings, List<Finding> findings) {
        this.templateId = templateId;
        this.added = List.copyOf(added);
        this.present = List.copyOf(present);
        this.mappings = List.copyOf(mappings);
        this.findings = List.copyOf(findings);
    }

    public String templateId() { return templateId; }

    /** The mappings to insert, in the template's order; empty when there is nothing new (or an error prevents it). */
    public List<PortMapping> added() { return added; }

    /** The template's mappings the tunnel already has (applying twice inserts nothing). */
    public List<PortMapping> alreadyPresent() { return present; }

    /** The tunnel's mappings after the insertion: its own, then {@link #added()}. */
    public List<PortMapping> mappings() { return mappings; }

    /**
     * What the user must still decide on: unfilled or bad placeholders, and the validator's
     * findings about the inserted mappings (a gateway, a privileged port). Mapping indexes refer to
     * {@link #mappings()}.
     */
    public List<Finding> findings() { return findings; }

    /** Whether a finding is an error: then {@link #added()} is empty. */
    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    @Override
    public String toString() {
        return templateId + ": +" + added + " (present " + present + ") " + findings;
    }
}
