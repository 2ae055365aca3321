package io.sshtunnel.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A change through {@link TunnelAdmin} that was refused: nothing was saved. The findings say why,
 * each naming the field, the value and the fix ({@link FindingCodes#NOT_OWNER} naming the owner,
 * {@link FindingCodes#NAME_TAKEN} naming the tunnel that has the name, or the validator's).
 */
public class TunnelAdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Finding> findings;

    public TunnelAdminException(List<Finding> findings) {
        super(findings.stream().filter(Finding::isError).map(Finding::message).collect(Collectors.joining("; ")));
        this.findings = List.copyOf(findings);
    }

    /** Every finding, errors and warnings; at least one is an error. */
    public List<Finding> findings() {
        return findings;
    }
}
