package io.sshtunnel.cm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;

import org.apache.felix.cm.PersistenceManager;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.apache.felix.cm.file.FilePersistenceManager;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Felix Config Admin's file storage, made safe against a JVM killed while a configuration is being
 * saved. Felix replaces a configuration file by deleting it and then renaming a temporary file; a
 * kill between the two loses that configuration for good (the next start skips the temporary
 * file). With the framework property {@code felix.cm.pm=sshtunnel}, Config Admin waits for this
 * persistence manager, which first repairs the storage folder ({@link Orphans}) and then hands
 * every call to Felix's own file persistence manager: same folder, same format, so the property can
 * be set or removed at any time without losing a configuration.
 */
final class CrashSafeStorage implements PersistenceManager {
    /** The value of {@code felix.cm.pm} that selects this storage. */
    static final String NAME = "sshtunnel";
    static final String PM_PROPERTY = "felix.cm.pm";
    private static final Logger LOG = LoggerFactory.getLogger(CrashSafeStorage.class);

    private final PersistenceManager files;
    /** Felix's storage folder, or null when it is not a file storage. */
    private final Path location;

    CrashSafeStorage(PersistenceManager files) {
        this.files = files;
        this.location = files instanceof FilePersistenceManager ? ((FilePersistenceManager) files).getLocation().toPath() : null;
        restrict(true);
    }

    /** Closes the storage to other users: it holds passwords. Said at start; after a save it is routine. */
    private void restrict(boolean atStart) {
        if (location == null) {
            return;
        }
        try {
            int changed = OwnerOnly.restrict(location);
            if (changed > 0 && atStart) {
                LOG.info("Configuration storage {}: made {} files and folders readable by their owner only", location, changed);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not restrict the permissions of the configuration storage {}", location, e);
        }
    }

    /** Whether Config Admin was told to use this storage, and so waits for it before reading anything. */
    static boolean selected(BundleContext context) {
        return NAME.equals(context.getProperty(PM_PROPERTY));
    }

    /**
     * Repairs Felix's storage folder; only while Config Admin waits for this storage ({@link #selected}):
     * while it uses Felix's directly, a repair could race one of its saves. Returns what it did.
     */
    static List<Orphans.Repair> repair(PersistenceManager files) throws IOException {
        if (!(files instanceof FilePersistenceManager)) {
            return List.of();
        }
        return Orphans.repair(((FilePersistenceManager) files).getLocation().toPath(), CrashSafeStorage::readable);
    }

    /** Logs the repairs, a restored configuration as a warning: an operator should know the JVM died while saving. */
    static void report(List<Orphans.Repair> repairs) {
        LOG.info("Configuration storage checked for interrupted saves: {} restored, {} unfinished removed, {} unreadable kept",
                repairs.stream().filter(r -> r.kind() == Orphans.Kind.RESTORED).count(),
                repairs.stream().filter(r -> r.kind() == Orphans.Kind.REMOVED).count(),
                repairs.stream().filter(r -> r.kind() == Orphans.Kind.UNREADABLE).count());
        for (Orphans.Repair r : repairs) {
            if (r.kind() == Orphans.Kind.REMOVED) {
                LOG.info("Configuration storage: {}", r);
            } else {
                LOG.warn("Configuration storage: {} (the JVM had stopped while saving it)", r);
            }
        }
    }

    /** Whether a file holds a configuration Config Admin can read: not empty, with its PID. */
    static boolean readable(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Dictionary<?, ?> d = ConfigurationHandler.read(in);
            return d != null && d.get(Constants.SERVICE_PID) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean exists(String pid) {
        return files.exists(pid);
    }

    @SuppressWarnings("rawtypes")
    @Override
    public Dictionary load(String pid) throws IOException {
        return files.load(pid);
    }

    @SuppressWarnings("rawtypes")
    @Override
    public Enumeration getDictionaries() throws IOException {
        return files.getDictionaries();
    }

    @SuppressWarnings("rawtypes")
    @Override
    public void store(String pid, Dictionary properties) throws IOException {
        files.store(pid, properties);
        restrict(false); // Felix creates the file and any new folder with the process's default permissions
    }

    @Override
    public void delete(String pid) throws IOException {
        files.delete(pid);
    }
}
