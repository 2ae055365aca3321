package io.sshtunnel.templates.internal;

import io.sshtunnel.common.Messages;

import static io.sshtunnel.api.FindingCodes.*;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.Hosts;
import io.sshtunnel.api.MappingTemplate;
import io.sshtunnel.api.Placeholder;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TemplateApplication;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelTemplate;
import io.sshtunnel.api.TunnelValidator;

/**
 * Applies one template to one tunnel. Which port is free is the validator's answer, asked for each
 * port tried, nearest first ({@code p, p+1, p-1, p+2, ...}); the applier knows no rule of its own.
 */
final class Applier {
    /** How far from the suggested port the search goes, each way. */
    static final int SEARCH_DISTANCE = 100;
    /** The findings that make a port unusable for a new mapping, so that the next one is tried. */
    static final Set<String> PORT_TAKEN = Set.of(LOCAL_PORT_COLLISION, REMOTE_PORT_COLLISION, DUPLICATE_MAPPING,
            LOCAL_PORT_IN_USE, PRIVILEGED_LOCAL_PORT, PRIVILEGED_REMOTE_PORT, POLICY_PORT);

    private final Messages messages;

    Applier(Messages messages) {
        this.messages = messages;
    }

    TemplateApplication apply(TunnelTemplate template, Map<String, String> values, TunnelSpec tunnel,
            Collection<TunnelSpec> others, TunnelValidator validator, Locale locale) {
        List<Finding> findings = new ArrayList<>();
        Map<String, String> filled = new java.util.HashMap<>();
        for (Placeholder p : template.placeholders()) {
            String v = values == null ? null : values.get(p.name());
            v = v == null ? "" : v.strip();
            if (v.startsWith("[") && v.endsWith("]")) {
                v = v.substring(1, v.length() - 1);
            }
            if (v.isEmpty()) {
                findings.add(Finding.error(TEMPLATE_PLACEHOLDER, TunnelConstants.MAPPINGS, messages.format(locale,
                        "TEMPLATE_PLACEHOLDER.MISSING", template.id(), p.title(locale), p.example() == null ? "" : p.example())));
            } else if (v.length() > 253 || !(Hosts.isValid(v) || Hosts.isIpv6(v))) {
                findings.add(Finding.error(TEMPLATE_PLACEHOLDER, TunnelConstants.MAPPINGS, messages.format(locale,
                        "TEMPLATE_PLACEHOLDER.SYNTAX", template.id(), p.title(locale), Finding.quote(v))));
            } else {
                filled.put(p.name(), v);
            }
        }
        List<PortMapping> own = tunnel.mappings();
        if (!findings.isEmpty()) {
            return new TemplateApplication(template.id(), List.of(), List.of(), own, findings);
        }
        List<PortMapping> current = new ArrayList<>(own);
        List<PortMapping> added = new ArrayList<>();
        List<PortMapping> present = new ArrayList<>();
        for (MappingTemplate mt : template.mappings()) {
            PortMapping wanted = mt.toMapping(mt.suggestedPort(), filled);
            PortMapping existing = current.stream().filter(m -> reachesTheSame(m, wanted)).findFirst().orElse(null);
            if (existing != null) {
                present.add(existing);
                continue;
            }
            Finding[] policy = new Finding[1];
            int port = validator == null ? mt.suggestedPort() : freePort(wanted, current, tunnel, others, validator, locale, policy);
            if (port < 0) {
                // a module's policy that keeps the template's ports out is named, with the ports it allows
                findings.add(new Finding(Severity.ERROR, TEMPLATE_NO_FREE_PORT, TunnelConstants.MAPPINGS, Finding.NO_MAPPING,
                        policy[0] != null
                                ? messages.format(locale, "TEMPLATE_NO_FREE_PORT.POLICY", template.id(), mt.suggestedPort(), SEARCH_DISTANCE,
                                        wanted.format(), policy[0].message())
                                : messages.format(locale, "TEMPLATE_NO_FREE_PORT", template.id(), mt.suggestedPort(), SEARCH_DISTANCE,
                                        wanted.format())));
                continue;
            }
            PortMapping m = wanted.withBindPort(port);
            current.add(m);
            added.add(m);
        }
        if (validator == null) {
            findings.add(new Finding(Severity.WARNING, VALIDATION_UNAVAILABLE, TunnelConstants.MAPPINGS, Finding.NO_MAPPING,
                    messages.format(locale, "VALIDATION_UNAVAILABLE", template.id())));
        } else if (!added.isEmpty()) {
            for (Finding f : validator.validate(tunnel.toBuilder().mappings(current).build(), others, locale)) {
                if (f.mappingIndex() >= own.size()) {
                    findings.add(f); // about an inserted mapping: the user decides (a gateway, a policy)
                }
            }
        }
        if (findings.stream().anyMatch(Finding::isError)) {
            return new TemplateApplication(template.id(), List.of(), present, own, findings);
        }
        return new TemplateApplication(template.id(), added, present, current, findings);
    }

    /**
     * Whether an existing mapping already gives what the template's does: the same kind, gateway
     * or not, and the same target, whatever port it was moved to.
     */
    static boolean reachesTheSame(PortMapping existing, PortMapping wanted) {
        return existing.kind() == wanted.kind() && existing.isGateway() == wanted.isGateway()
                && existing.targetHost().equalsIgnoreCase(wanted.targetHost()) && existing.targetPort() == wanted.targetPort();
    }

    /**
     * The suggested port or the nearest free one, or -1; where the module's policy refused the
     * suggested port, its finding goes into {@code policy[0]}.
     */
    private int freePort(PortMapping wanted, List<PortMapping> current, TunnelSpec tunnel, Collection<TunnelSpec> others,
            TunnelValidator validator, Locale locale, Finding[] policy) {
        int start = wanted.bindPort();
        int low = start >= 1024 ? 1024 : 1;
        for (int d = 0; d <= SEARCH_DISTANCE; d++) {
            for (int port : d == 0 ? new int[] { start } : new int[] { start + d, start - d }) {
                if (port < low || port > 65535) {
                    continue;
                }
                List<PortMapping> trial = new ArrayList<>(current);
                trial.add(wanted.withBindPort(port));
                int index = trial.size() - 1;
                List<Finding> found = validator.validate(tunnel.toBuilder().mappings(trial).build(), others, locale);
                boolean taken = found.stream().anyMatch(f -> f.mappingIndex() == index && PORT_TAKEN.contains(f.code())
                        && (f.isError() || !f.code().startsWith("PRIVILEGED")));
                if (d == 0) {
                    found.stream().filter(f -> f.mappingIndex() == index && POLICY_PORT.equals(f.code())).findFirst()
                            .ifPresent(f -> policy[0] = f);
                }
                if (!taken) {
                    return port;
                }
            }
        }
        return -1;
    }
}
