package io.sshtunnel.api;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every service template in the container (built in, and those other bundles register as
 * {@link TunnelTemplate} services), and how to apply one to a tunnel. The console, the shell and
 * the tunnel admin service use it.
 */
@ProviderType
public interface TemplateCatalog {
    /** Every template, the built-in ones first, each id once. */
    List<TunnelTemplate> templates();

    Optional<TunnelTemplate> template(String id);

    /**
     * Works out the mappings a template inserts into a tunnel: placeholders filled from
     * {@code values} (keyed by {@link Placeholder#name()}), each port moved to the nearest one that
     * the {@link TunnelValidator} finds free of collisions with the tunnel's own mappings, the other
     * tunnels and other programs on this machine, and none the tunnel already has. Saves nothing.
     *
     * @param templateId a template's id; an unknown one gives an error finding
     * @param values     the placeholders' values
     * @param tunnel     the tunnel to insert into, with its current mappings
     * @param others     every other tunnel in the container
     * @param locale     language of the findings
     */
    TemplateApplication apply(String templateId, Map<String, String> values, TunnelSpec tunnel,
            Collection<TunnelSpec> others, Locale locale);
}
