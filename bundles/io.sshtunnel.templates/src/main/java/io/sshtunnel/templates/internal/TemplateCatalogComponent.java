package io.sshtunnel.templates.internal;

import io.sshtunnel.common.Messages;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TemplateApplication;
import io.sshtunnel.api.TemplateCatalog;
import io.sshtunnel.api.TunnelConstants;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelTemplate;
import io.sshtunnel.api.TunnelValidator;

/**
 * The {@link TemplateCatalog}: the built-in templates, then those other bundles register as
 * {@link TunnelTemplate} services (whiteboard; highest service ranking first), each id once.
 * A contributed template whose id is taken, or that is not well formed, is left out with a warning.
 */
@Component(service = TemplateCatalog.class)
public final class TemplateCatalogComponent implements TemplateCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateCatalogComponent.class);

    private final List<TunnelTemplate> builtIn = BuiltInTemplates.all();
    private final Map<Long, Contribution> contributed = new ConcurrentHashMap<>();
    private final Messages messages = new Messages("io.sshtunnel.templates.internal.Findings", Messages.class.getClassLoader());
    private final Applier applier = new Applier(messages);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TunnelValidator validator;

    private static final class Contribution {
        final TunnelTemplate template;
        final int ranking;
        final long serviceId;

        Contribution(TunnelTemplate template, int ranking, long serviceId) {
            this.template = template;
            this.ranking = ranking;
            this.serviceId = serviceId;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTemplate(TunnelTemplate template, Map<String, Object> properties) {
        long id = (Long) properties.get(Constants.SERVICE_ID);
        Object r = properties.get(Constants.SERVICE_RANKING);
        String problem = problem(template);
        if (problem != null) {
            LOG.warn("Ignoring the service template of service {}: {}", id, problem);
            return;
        }
        String tid = template.id();
        Contribution other = contributed.values().stream().filter(c -> c.template.id().equals(tid)).findFirst().orElse(null);
        contributed.put(id, new Contribution(template, r instanceof Integer ? (Integer) r : 0, id));
        if (builtIn.stream().anyMatch(t -> t.id().equals(tid))) {
            LOG.warn("Service template \"{}\" of service {} is not offered: a built-in template has that id", tid, id);
        } else if (other != null) {
            LOG.warn("Service template \"{}\" is contributed twice (services {} and {}): the one with the higher service"
                    + " ranking, else the earlier, is offered; give the other another id", tid, other.serviceId, id);
        } else {
            LOG.info("Service template \"{}\" added", tid);
        }
    }

    void removeTemplate(TunnelTemplate template, Map<String, Object> properties) {
        Contribution c = contributed.remove((Long) properties.get(Constants.SERVICE_ID));
        if (c != null) {
            LOG.info("Service template \"{}\" removed", c.template.id());
        }
    }

    /** Why a contributed template cannot be offered, or null. */
    private static String problem(TunnelTemplate t) {
        try {
            if (!PortMapping.isServiceId(t.id())) {
                return "its id \"" + t.id() + "\" is not lower-case letters, digits, '.', '-' and '_'";
            }
            if (t.mappings() == null || t.mappings().isEmpty()) {
                return "template \"" + t.id() + "\" has no mapping";
            }
            if (t.title(Locale.ENGLISH) == null || t.category() == null) {
                return "template \"" + t.id() + "\" has no title or category";
            }
            return null;
        } catch (RuntimeException e) {
            return "it failed to describe itself: " + e;
        }
    }

    @Override
    public List<TunnelTemplate> templates() {
        Map<String, TunnelTemplate> byId = new LinkedHashMap<>();
        for (TunnelTemplate t : builtIn) {
            byId.put(t.id(), t);
        }
        List<Contribution> cs = new ArrayList<>(contributed.values());
        cs.sort(Comparator.comparingInt((Contribution c) -> -c.ranking).thenComparingLong(c -> c.serviceId));
        for (Contribution c : cs) {
            byId.putIfAbsent(c.template.id(), c.template);
        }
        return List.copyOf(byId.values());
    }

    @Override
    public Optional<TunnelTemplate> template(String id) {
        return templates().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public TemplateApplication apply(String templateId, Map<String, String> values, TunnelSpec tunnel,
            Collection<TunnelSpec> others, Locale locale) {
        Optional<TunnelTemplate> t = template(templateId);
        if (t.isEmpty()) {
            String known = String.join(", ", templates().stream().map(TunnelTemplate::id).toArray(String[]::new));
            return new TemplateApplication(String.valueOf(templateId), List.of(), List.of(), tunnel.mappings(),
                    List.of(Finding.error(FindingCodes.TEMPLATE_UNKNOWN, TunnelConstants.MAPPINGS,
                            messages.format(locale, "TEMPLATE_UNKNOWN", Finding.quote(String.valueOf(templateId)), known))));
        }
        return applier.apply(t.get(), values, tunnel, others, validator, locale);
    }

    /** For tests: the catalog with this validator (or none). */
    TemplateCatalogComponent withValidator(TunnelValidator v) {
        this.validator = v;
        return this;
    }
}
