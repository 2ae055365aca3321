package io.sshtunnel.logging.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the warnings and errors of the OSGi Log Service (FileInstall refusing a file, Config
 * Admin, SCR failing to activate a component) into SLF4J, where the assembly's other lines go:
 * otherwise nothing prints them, and an operator never learns why a dropped file did nothing.
 * Also the entries logged before it started (the log service keeps a history). Values after a
 * secret's name are masked. On only when the framework property {@value #PROPERTY} is true (the
 * assembly sets it); in Karaf, pax-logging does this already.
 */
@Component(immediate = true, service = {})
public final class OsgiLogBridge implements LogListener {
    static final String PROPERTY = "io.sshtunnel.log.osgi";
    private static final Pattern SECRET = Pattern.compile(
            "(?i)((?:password|passphrase|secret)[\\w.]*\\s*(?:[=:]|\"\\s*:)\\s*\"?)[^,;\"}\\]\\r\\n]+");

    private final LogReaderService reader;
    /** Guards the two fields below; never held across a call into the framework. */
    private final Object lock = new Object();
    /** The highest sequence number written, so that the history and the live entries never repeat one. */
    private long written = -1;
    /** Live entries that arrive while the history is being written, written after it; null once it is out. */
    private List<LogEntry> early = new ArrayList<>();

    @Activate
    public OsgiLogBridge(BundleContext context, @Reference LogReaderService reader) {
        if (!Boolean.parseBoolean(context.getProperty(PROPERTY))) {
            this.reader = null;
            return;
        }
        this.reader = reader;
        // listening first loses nothing; live entries wait in "early" until the history is out
        reader.addLogListener(this);
        List<LogEntry> history = new ArrayList<>();
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            history.add(e.nextElement());
        }
        Collections.reverse(history); // the log service gives the newest first
        synchronized (lock) {
            history.forEach(this::write);
            early.forEach(this::write);
            early = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (reader != null) {
            reader.removeLogListener(this);
        }
    }

    @Override
    public void logged(LogEntry entry) {
        synchronized (lock) {
            if (early != null) {
                early.add(entry);
            } else {
                write(entry);
            }
        }
    }

    /** Writes one entry once (under {@link #lock}). */
    private void write(LogEntry entry) {
        if (entry.getSequence() <= written) {
            return;
        }
        written = entry.getSequence();
        LogLevel level = entry.getLogLevel();
        if (level != LogLevel.ERROR && level != LogLevel.WARN && level != LogLevel.AUDIT) {
            return;
        }
        String source = entry.getBundle() == null ? "framework" : entry.getBundle().getSymbolicName();
        Logger log = LoggerFactory.getLogger("osgi." + source);
        String message = mask(entry.getMessage());
        Throwable t = entry.getException();
        String cause = t == null ? "" : ": " + t.getClass().getName() + (t.getMessage() == null ? "" : ": " + mask(t.getMessage()));
        if (level == LogLevel.ERROR) {
            log.error("{}{}", message, cause);
        } else {
            log.warn("{}{}", message, cause);
        }
    }

    /** The text with every value that follows a secret's name, up to the next separator or the line's end, replaced by {@code ****}. */
    static String mask(String text) {
        return text == null ? "" : SECRET.matcher(text).replaceAll("$1****");
    }
}
