package io.sshtunnel.api;

import java.util.Collection;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks a tunnel configuration against the rules about ports, kinds and collisions. The engine
 * calls every registered validator before it starts a tunnel and refuses (state
 * {@link TunnelState#INVALID}) when any returns an {@link Severity#ERROR}; the console, the shell
 * and modules call it before saving so that all give the same answer.
 */
@ConsumerType
public interface TunnelValidator {
    /**
     * @param candidate the configuration to check
     * @param others    every other tunnel in the container, whoever owns it
     * @return the findings, empty when there is nothing to say; never {@code null}, never throws
     */
    List<Finding> validate(TunnelSpec candidate, Collection<TunnelSpec> others);
}
