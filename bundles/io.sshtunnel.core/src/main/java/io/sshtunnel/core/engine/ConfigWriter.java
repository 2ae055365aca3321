package io.sshtunnel.core.engine;

import io.sshtunnel.common.Filters;

import static io.sshtunnel.api.TunnelConstants.FINGERPRINT;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.core.config.CfgFile;

/**
 * The engine's only writes to configurations: a fingerprint trusted on first use, into Config
 * Admin and into the {@code .cfg} file the tunnel came from; and the last good properties back
 * over a wiped configuration. Called on worker threads, never under the engine's lock.
 */
final class ConfigWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWriter.class);

    private static final int MAX_ATTEMPTS = 5;

    private final ConfigurationAdmin configAdmin;
    /** FileInstall rewrites .cfg files after each update itself, unless told not to (the assembly does). */
    private final boolean fileInstallWritesBack;
    private final Charset cfgEncoding;

    ConfigWriter(ConfigurationAdmin configAdmin, boolean fileInstallWritesBack, Charset cfgEncoding) {
        this.configAdmin = configAdmin;
        this.fileInstallWritesBack = fileInstallWritesBack;
        this.cfgEncoding = cfgEncoding;
    }

    /**
     * The configuration's properties as stored, or null when there is none. Unlike the properties a
     * component receives, these keep placeholders such as {@code $[secret:name]} that Config Admin's
     * interpolation plugin resolves only for the component: what is restored must be these, or a
     * restore would write the resolved secret into the storage.
     */
    Map<String, Object> stored(String pid) {
        try {
            Configuration[] found = configAdmin == null ? null : configAdmin.listConfigurations(Filters.equal("service.pid", pid));
            Dictionary<String, Object> d = found == null || found.length == 0 ? null : found[0].getProperties();
            if (d == null) {
                return null;
            }
            Map<String, Object> m = new java.util.HashMap<>();
            for (java.util.Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                m.put(k, d.get(k));
            }
            return m;
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            LOG.debug("Could not read the stored configuration {}", pid, e);
            return null;
        }
    }

    /** What a write did. */
    enum Outcome {
        /** The configuration was changed. */
        WRITTEN,
        /** Nothing to change, or somebody else's value won. */
        KEPT,
        /** There is no such configuration (deleted meanwhile): nothing was written, none was made. */
        GONE,
        /** Config Admin failed or the configuration kept changing: logged, nothing written. */
        FAILED
    }

    /** Puts the last good properties back into Config Admin (and so, through FileInstall, into the file). */
    Outcome restore(String pid, Map<String, Object> properties) {
        Outcome[] outcome = { Outcome.GONE };
        change(pid, "restore configuration", current -> new Hashtable<>(properties), outcome);
        return outcome[0];
    }

    /** Pins the fingerprint, unless someone pinned a key meanwhile: theirs wins. */
    Outcome persistFingerprint(String pid, String fingerprint) {
        Outcome[] outcome = { Outcome.GONE };
        Dictionary<String, Object> seen = change(pid, "write the trusted fingerprint back into configuration", props -> {
            Object current = props.get(FINGERPRINT);
            if (current != null && !current.toString().isBlank()) {
                return null;
            }
            props.put(FINGERPRINT, fingerprint);
            return props;
        }, outcome);
        Path file = seen == null ? null : CfgFile.source(seen.get(CfgFile.FILEINSTALL_FILENAME));
        if (file != null && !fileInstallWritesBack) {
            // FileInstall would rewrite the file in place; with its write-back off, we put the key in, atomically
            try {
                CfgFile.pinFingerprint(file, fingerprint, cfgEncoding);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not write the trusted fingerprint into {} (it is kept in the configuration)", file, e);
            }
        }
        return outcome[0];
    }

    /**
     * Applies {@code change} to the configuration's current properties; {@code null} from it leaves the
     * configuration alone. Returns the properties it found, or null when there is no such configuration.
     */
    private synchronized Dictionary<String, Object> change(String pid, String what, UnaryOperator<Dictionary<String, Object>> change,
            Outcome[] outcome) {
        outcome[0] = Outcome.GONE;
        try {
            Configuration[] found = configAdmin.listConfigurations(Filters.equal("service.pid", pid));
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return null;
            }
            // Config Admin has no compare-and-set: an update made between our read and our write
            // (an operator disabling the tunnel just as its key is pinned) would be lost. Read the
            // change count around the computation and start again when it moved. Our own writes (a
            // pin, a restore) are serialised by this method's lock: two concurrent updates of one
            // configuration in Felix's Config Admin can both get the same change count, and SCR then
            // delivers only one of them.
            Configuration c = found[0];
            for (int attempt = 1;; attempt++) {
                long count = c.getChangeCount();
                Dictionary<String, Object> current = c.getProperties();
                if (current == null) {
                    return null;
                }
                Dictionary<String, Object> next = change.apply(c.getProperties());
                if (next == null) {
                    outcome[0] = Outcome.KEPT;
                    return current;
                }
                if (c.getChangeCount() == count || attempt == MAX_ATTEMPTS) {
                    if (c.getChangeCount() == count) {
                        outcome[0] = c.updateIfDifferent(next) ? Outcome.WRITTEN : Outcome.KEPT;
                    } else {
                        outcome[0] = Outcome.FAILED;
                        LOG.warn("Could not {} {}: it kept changing meanwhile", what, pid);
                    }
                    return current;
                }
            }
        } catch (IOException | InvalidSyntaxException | RuntimeException e) {
            outcome[0] = Outcome.FAILED;
            LOG.warn("Could not {} {}", what, pid, e);
            return null;
        }
    }

}
