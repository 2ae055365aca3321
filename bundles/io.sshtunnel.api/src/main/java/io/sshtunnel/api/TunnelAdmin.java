package io.sshtunnel.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How a module (a bundle) creates and changes its tunnels. Registered with bundle scope: each
 * bundle gets its own instance, which knows the bundle's symbolic name ({@link #module()}) as the
 * owner of what it creates. Every module sees every tunnel (so that nobody picks a colliding
 * port), but changes only its own; the administrator's tunnels (no owner) and other modules'
 * are refused with {@link FindingCodes#NOT_OWNER} naming the owner, and nothing changes.
 *
 * <p>A created tunnel is an ordinary {@code io.sshtunnel.tunnel} factory configuration with
 * {@code owner} set: it persists, shows in the console and comes back after a restart. It runs
 * only while its module holds this service: when the module's last component releases it
 * (bundle stopped, last configuration of the module disabled or deleted) its tunnels go
 * {@link TunnelState#DISABLED}, and they come back when it takes the service again.
 *
 * <p>Every change is validated before anything is saved: with an {@link Severity#ERROR} finding
 * (including the module's policy, and a name already taken in the container) it throws
 * {@link TunnelAdminException} and the stored configuration is untouched. Changes are saved
 * through Config Admin and reach the engine asynchronously; watch {@link TunnelRuntime} or the
 * {@code Tunnel}/{@code TunnelEndpoint} services for the outcome.
 */
@ProviderType
public interface TunnelAdmin {
    /** The calling bundle's symbolic name: the {@code owner} of the tunnels it creates. */
    String module();

    /** Every tunnel in the container, whoever owns it, read-only; empty while the engine is not running. */
    List<TunnelStatus> tunnels();

    /** The tunnel of that name, whoever owns it. */
    Optional<TunnelStatus> tunnel(String name);

    /**
     * Creates a tunnel owned by this module.
     *
     * @return the configuration's PID
     * @throws TunnelAdminException when the name is taken or a finding is an error; nothing is saved
     */
    String create(TunnelRequest request);

    /**
     * Replaces the settings of this module's tunnel {@code name} that a request describes
     * ({@link TunnelRequest#propertyNames()}; the request may rename it); every other stored
     * property stays. A request without a fingerprint keeps the one pinned, unless the server
     * changed. A request that changes nothing writes nothing.
     *
     * @throws TunnelAdminException when it is not this module's, the new name is taken, or a finding is an error
     */
    void update(String name, TunnelRequest request);

    /**
     * Creates this module's tunnel, or replaces the settings of its tunnel of that name, as
     * {@link #create} and {@link #update} do, and says what came of it: the findings that did not
     * stop the change (a port another program holds: the tunnel will be {@code DEGRADED}), and
     * whether anything was written (a request that changes nothing writes nothing, so a module may
     * call this at every start).
     *
     * @throws TunnelAdminException as {@link #create} and {@link #update}
     * @since 1.4
     */
    TunnelAdministration.Saved put(TunnelRequest request);

    /**
     * Creates this module's tunnel from a service template, or brings its tunnel of that name up to
     * date: the request gives the name, the server and the credentials (and mappings of its own,
     * if any), the template its mappings, each on the template's port or the nearest one free of
     * the other tunnels, this machine's programs and this module's policy. A mapping the tunnel
     * already has from the template keeps its port, so calling this at every start changes
     * nothing (and writes nothing) once the tunnel is there.
     *
     * @param templateId a template's id ({@link TemplateCatalog#templates()}), e.g. {@code ldap}
     * @param values     the template's placeholders, e.g. {@code dc} → {@code dc1.corp.local}
     * @return the configuration's PID
     * @throws TunnelAdminException with the template's findings (a missing placeholder, no free
     *             port, the policy) or the check's; nothing is saved
     * @since 1.4
     */
    String applyTemplate(TunnelRequest request, String templateId, Map<String, String> values);

    /** Enables or disables this module's tunnel, keeping its configuration. */
    void setEnabled(String name, boolean enabled);

    /** Deletes this module's tunnel and its configuration. */
    void delete(String name);
}
