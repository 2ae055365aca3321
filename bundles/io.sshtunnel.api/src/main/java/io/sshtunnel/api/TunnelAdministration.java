package io.sshtunnel.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The administrator's side of the tunnel admin service, beside the modules' bundle-scoped
 * {@link TunnelAdmin}: what the operator's page, the shell and the Karaf page use to read and change
 * tunnel configurations. It and the engine are the only writers of tunnel configurations; its
 * users never touch Config Admin for a tunnel.
 *
 * <p>The same rules hold here as for modules, from the administrator's side:
 * <ul>
 * <li>every change is checked as the engine checks it before anything is saved: an
 * {@link Severity#ERROR} finding throws {@link TunnelAdminException} and nothing changes;</li>
 * <li>a module's tunnel is refused ({@link FindingCodes#NOT_OWNER}, naming the module), except
 * that a tunnel whose module is no longer installed may be deleted;</li>
 * <li>a tunnel made from a file is refused ({@link FindingCodes#FILE_MADE}, naming the file): it is
 * changed in its file;</li>
 * <li>an update names the version it was based on ({@link StoredTunnel#version()}); a tunnel
 * changed since is refused ({@link FindingCodes#STALE_VERSION}) rather than overwritten;</li>
 * <li>an id or name that is no tunnel's is refused ({@link FindingCodes#NOT_FOUND}).</li>
 * </ul>
 * Created tunnels have no {@code owner}: they are the administrator's.
 */
@ProviderType
public interface TunnelAdministration {

    /** Every stored tunnel configuration, whoever owns it. */
    List<StoredTunnel> configurations();

    /** The stored configuration of that id (a PID), if it is a tunnel's. */
    Optional<StoredTunnel> configuration(String id);

    /** The stored configuration of the tunnel of that name (the one the engine runs under it, if two claim it). */
    Optional<StoredTunnel> configurationNamed(String name);

    /**
     * Creates an administrator's tunnel.
     *
     * @param properties the tunnel's properties ({@link TunnelConstants}); an {@code owner} is dropped
     * @return its id and the findings that did not stop it (warnings)
     * @throws TunnelAdminException with the findings when one is an error, or the name is taken
     */
    Saved create(Map<String, ?> properties, Locale locale);

    /**
     * Replaces the properties of the administrator's tunnel {@code id}, if it is still at
     * {@code version}. Properties that are Config Admin's or FileInstall's bookkeeping are kept.
     * A replacement that changes nothing writes nothing (the version stays).
     *
     * @throws TunnelAdminException when it is refused (see the class comment) or a finding is an error
     */
    Saved update(String id, long version, Map<String, ?> properties, Locale locale);

    /** Enables (checked first) or disables the administrator's tunnel, keeping its configuration. */
    Saved setEnabled(String id, boolean enabled, Locale locale);

    /** Deletes the administrator's tunnel, or one whose module is no longer installed. */
    void delete(String id);

    /**
     * As {@link #delete(String)}, a refusal worded in the language of the locale.
     *
     * @since 1.5
     */
    default void delete(String id, Locale locale) {
        delete(id);
    }

    /** A stored tunnel configuration. */
    @ProviderType
    interface StoredTunnel {
        /** The configuration's PID, the tunnel's {@link TunnelStatus#id()}. */
        String id();

        /** The {@code name} property, or the id where there is none. */
        String name();

        /** Config Admin's change count: what an update names to be sure nobody changed it since. */
        long version();

        /** The owning module's symbolic name, or null for the administrator's. */
        String owner();

        /**
         * Whether the owning module is installed (true for the administrator's tunnels). A tunnel
         * whose module is gone for good may be deleted by the administrator.
         */
        boolean ownerInstalled();

        /** The file the configuration was made from, or null. */
        String file();

        /**
         * The stored properties, secrets included, without Config Admin's bookkeeping. For the caller
         * to compare with and to fill masked fields from: never shown, logged or sent anywhere.
         */
        Map<String, Object> properties();
    }

    /** A saved change: the configuration's id and the findings that did not stop it. */
    @ProviderType
    interface Saved {
        String id();

        /** Warnings and notes of the check before saving (no errors: those refuse the change). */
        List<Finding> findings();

        /** False when the change asked for was already the stored state and nothing was written. */
        boolean written();
    }
}
