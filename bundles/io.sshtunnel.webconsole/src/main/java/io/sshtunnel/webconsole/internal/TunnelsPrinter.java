package io.sshtunnel.webconsole.internal;

import java.io.PrintWriter;
import java.util.Locale;

import org.apache.felix.inventory.Format;
import org.apache.felix.inventory.InventoryPrinter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingCounters;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.TunnelStatus;

/**
 * Every tunnel's status for the console's Status tab and its configuration-status download, as
 * text and as the same JSON as {@code sshtunnels.json}. Works with any console version that has
 * the Felix Inventory. Never prints a secret.
 */
@Component(service = InventoryPrinter.class, property = {
        InventoryPrinter.NAME + "=sshtunnels",
        InventoryPrinter.TITLE + "=SSH tunnels",
        InventoryPrinter.FORMAT + "=TEXT",
        InventoryPrinter.FORMAT + "=JSON" })
public final class TunnelsPrinter implements InventoryPrinter {
    private final io.sshtunnel.api.TunnelRuntime runtime;

    @Activate
    public TunnelsPrinter(@Reference io.sshtunnel.api.TunnelRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * The Inventory passes no request, so the printer speaks the container's language (the JVM's
     * default locale: German when it is German, English otherwise); the page and its JSON speak the
     * browser's.
     */
    static Locale containerLocale() {
        return "de".equals(Locale.getDefault().getLanguage()) ? Locale.GERMAN : Locale.ENGLISH;
    }

    @Override
    public void print(PrintWriter out, Format format, boolean isZip) {
        Locale locale = containerLocale();
        if (format == Format.JSON) {
            out.print(StatusJson.PRETTY.toJson(StatusJson.tunnels(runtime.tunnels(), locale)));
            return;
        }
        java.util.List<TunnelStatus> all = runtime.tunnels();
        out.println("SSH tunnels: " + all.size());
        for (TunnelStatus s : all) {
            long up = s.mappings().stream().filter(m -> m.state() == MappingState.ACTIVE).count();
            out.println();
            out.println("Tunnel " + s.name() + " (" + s.id() + ")");
            out.println("  owner:    " + (s.spec().owner() == null ? "(administrator)" : s.spec().owner()));
            out.println("  server:   " + s.spec().username() + "@" + s.spec().server());
            out.println("  state:    " + s.state() + " since " + s.since() + (s.reason() == null ? "" : " (" + s.reason(locale) + ")"));
            if (s.nextAttempt() != null) {
                out.println("  next try: " + s.nextAttempt());
            }
            out.println("  mappings: " + up + "/" + s.mappings().size() + " active");
            for (MappingStatus m : s.mappings()) {
                MappingCounters c = m.counters();
                out.println("    " + m.mapping().format() + "  " + m.state() + (m.reason() == null ? "" : " (" + m.reason(locale) + ")")
                        + "  " + c.bytesToTarget() + " B to / " + c.bytesFromTarget() + " B from the target, "
                        + c.openConnections() + " open");
                out.println("      " + m.explanation(locale));
            }
            for (Finding f : s.findings(locale)) {
                out.println("  " + f.severity() + " " + f.code() + ": " + f.message());
            }
        }
    }
}
