package io.sshtunnel.cm;

import java.io.IOException;
import java.util.Hashtable;

import org.apache.felix.cm.PersistenceManager;
import org.apache.felix.cm.file.FilePersistenceManager;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers {@link CrashSafeStorage} (persistence manager {@code name=sshtunnel}) over Felix's own
 * file persistence manager while that is registered. A plain activator, not a DS component: Config
 * Admin waits for it at start-up, so it must not need anything that waits for Config Admin (in
 * Karaf it can then start from {@code etc/startup.properties}, before SCR exists).
 */
public final class Activator implements BundleActivator {
    private static final Logger LOG = LoggerFactory.getLogger(Activator.class);
    private ServiceTracker<PersistenceManager, ServiceRegistration<PersistenceManager>> tracker;

    @Override
    public void start(BundleContext context) throws InvalidSyntaxException {
        String filter = "(&(" + Constants.OBJECTCLASS + "=" + PersistenceManager.class.getName() + ")("
                + PersistenceManager.PROPERTY_NAME + "=" + FilePersistenceManager.DEFAULT_PERSISTENCE_MANAGER_NAME + "))";
        tracker = new ServiceTracker<>(context, context.createFilter(filter),
                new ServiceTrackerCustomizer<PersistenceManager, ServiceRegistration<PersistenceManager>>() {
                    @Override
                    public ServiceRegistration<PersistenceManager> addingService(ServiceReference<PersistenceManager> ref) {
                        PersistenceManager files = context.getService(ref);
                        if (files == null) {
                            return null;
                        }
                        if (CrashSafeStorage.selected(context)) {
                            try {
                                reportWhenLoggingWorks(context, CrashSafeStorage.repair(files));
                            } catch (IOException | RuntimeException e) {
                                // never keep Config Admin from starting: it then reads what is there, as it would anyway
                                LOG.error("Configuration storage could not be checked for an interrupted save", e);
                            }
                        } else {
                            LOG.info("Configuration storage is Felix's own; set the framework property {}={} to repair it after a crash",
                                    CrashSafeStorage.PM_PROPERTY, CrashSafeStorage.NAME);
                        }
                        Hashtable<String, Object> props = new Hashtable<>();
                        props.put(PersistenceManager.PROPERTY_NAME, CrashSafeStorage.NAME);
                        props.put(Constants.SERVICE_DESCRIPTION, "Felix file storage, repaired after a crash");
                        return context.registerService(PersistenceManager.class, new CrashSafeStorage(files), props);
                    }

                    @Override
                    public void modifiedService(ServiceReference<PersistenceManager> ref, ServiceRegistration<PersistenceManager> reg) {
                        // the name is what selects it, and the filter holds it
                    }

                    @Override
                    public void removedService(ServiceReference<PersistenceManager> ref, ServiceRegistration<PersistenceManager> reg) {
                        reg.unregister();
                        context.ungetService(ref);
                    }
                });
        tracker.open();
    }

    /**
     * This runs before Config Admin exists, so in Karaf before pax-logging has its configuration and
     * anything it logs goes to a console nobody reads: the report waits for the framework to be started.
     */
    private static void reportWhenLoggingWorks(BundleContext context, java.util.List<Orphans.Repair> repairs) {
        if (context.getBundle(0).getState() == org.osgi.framework.Bundle.ACTIVE) {
            CrashSafeStorage.report(repairs);
            return;
        }
        context.addFrameworkListener(new org.osgi.framework.FrameworkListener() {
            @Override
            public void frameworkEvent(org.osgi.framework.FrameworkEvent event) {
                if (event.getType() == org.osgi.framework.FrameworkEvent.STARTED) {
                    context.removeFrameworkListener(this);
                    CrashSafeStorage.report(repairs);
                }
            }
        });
    }

    @Override
    public void stop(BundleContext context) {
        tracker.close();
    }
}
