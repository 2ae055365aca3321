package io.sshtunnel.api;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a tunnel configuration against every rule about ports, kinds, collisions, privileged
 * ports, gateway exposure and module policies. The engine calls it before it starts a tunnel and
 * refuses (state {@link TunnelState#INVALID}) when it reports an {@link Severity#ERROR}; the
 * console, the shell and modules call it before saving, so that all give the same answer.
 */
@ProviderType
public interface TunnelValidator {
    /**
     * @param candidate the configuration to check
     * @param others    the other tunnels in the container, whoever owns them
     * @param locale    language of the messages (English and German are provided; others fall back to English)
     * @return the findings, empty when there is nothing to say; never {@code null}, never throws
     */
    List<Finding> validate(TunnelSpec candidate, Collection<TunnelSpec> others, Locale locale);

    /** {@link #validate(TunnelSpec, Collection, Locale)} with English messages. */
    default List<Finding> validate(TunnelSpec candidate, Collection<TunnelSpec> others) {
        return validate(candidate, others, Locale.ENGLISH);
    }
}
