package io.sshtunnel.shell.internal;

import static io.sshtunnel.api.TunnelConstants.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.sshtunnel.api.ConnectionTestResult;
import io.sshtunnel.api.ConnectionTester;
import io.sshtunnel.api.Finding;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TemplateApplication;
import io.sshtunnel.api.TemplateCatalog;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.api.TunnelAdminException;
import io.sshtunnel.api.TunnelAdministration;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelTemplate;

/**
 * The {@code tunnel:*} Gogo commands. Each prints its output to the session (Gogo's and Karaf's
 * {@code System.out}, also in Karaf's batch mode {@code bin/client -b}, where a returned value is
 * not printed) and fails with one line saying what is wrong and what to do. The shell's user is the administrator: a
 * module's tunnel is refused naming its owner. No command prints a secret.
 */
@Component(service = TunnelCommands.class, property = { "osgi.command.scope=tunnel", "osgi.command.function=list",
        "osgi.command.function=info", "osgi.command.function=enable", "osgi.command.function=disable",
        "osgi.command.function=test", "osgi.command.function=templates", "osgi.command.function=create",
        "osgi.command.function=export", "osgi.command.function=import" })
public final class TunnelCommands {
    private final TunnelRuntime runtime;
    private final TunnelAdministration admin;
    private final Clock clock;
    /** Where the output goes: the session's stream, which Gogo binds to {@code System.out} while a command runs. */
    private final java.util.function.Supplier<java.io.PrintStream> out;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConnectionTester tester;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TemplateCatalog templates;

    @Activate
    public TunnelCommands(@Reference TunnelRuntime runtime, @Reference TunnelAdministration admin) {
        this(runtime, admin, Clock.systemUTC(), null, null);
    }

    TunnelCommands(TunnelRuntime runtime, TunnelAdministration admin, Clock clock, ConnectionTester tester, TemplateCatalog templates) {
        this(runtime, admin, clock, tester, templates, () -> System.out);
    }

    TunnelCommands(TunnelRuntime runtime, TunnelAdministration admin, Clock clock, ConnectionTester tester, TemplateCatalog templates,
            java.util.function.Supplier<java.io.PrintStream> out) {
        this.out = out;
        this.runtime = runtime;
        this.admin = admin;
        this.clock = clock;
        this.tester = tester;
        this.templates = templates;
    }

    private void emit(String text) {
        java.io.PrintStream o = out.get();
        o.print(text);
        o.flush();
    }

    /** A failed command: Gogo prints the message as one line. */
    static final class CommandException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CommandException(String message) {
            super(message);
        }
    }

    @Descriptor("every tunnel: name, owner, server, state, mappings up/total, since")
    public void list() {
        Table t = new Table("Name", "Owner", "Server", "State", "Mappings", "Since", "Reason");
        for (TunnelStatus s : runtime.tunnels()) {
            long up = s.mappings().stream().filter(m -> m.state() == MappingState.ACTIVE).count();
            t.row(s.name(), owner(s.spec()), s.spec().server(), s.state(), up + "/" + s.mappings().size(), ago(s.since()),
                    s.reason() == null ? "" : shorten(s.reason(), 80));
        }
        emit(t.toString());
    }

    @Descriptor("one tunnel in detail: state, reason, findings, and each mapping with its state, reason and explanation")
    public void info(@Descriptor("the tunnel's name") String name) {
        TunnelStatus s = status(name);
        StringBuilder b = new StringBuilder();
        b.append("Tunnel      ").append(s.name()).append(" (").append(s.id()).append(")\n");
        b.append("Owner       ").append(owner(s.spec())).append('\n');
        b.append("Server      ").append(s.spec().username()).append('@').append(s.spec().server()).append('\n');
        b.append("State       ").append(s.state()).append(" since ").append(s.since()).append(" (").append(ago(s.since())).append(")\n");
        if (s.reason() != null) {
            b.append("Reason      ").append(s.reason()).append('\n');
        }
        if (s.nextAttempt() != null) {
            b.append("Next try    ").append(s.nextAttempt()).append(" (attempt ").append(s.attempts() + 1).append(")\n");
        }
        String fp = s.spec().fingerprint() != null ? s.spec().fingerprint() : s.serverFingerprint();
        b.append("Host key    ").append(fp == null ? "not known yet (trust on first use)" : fp).append('\n');
        for (Finding f : s.findings()) {
            b.append("Finding     ").append(f.severity()).append(' ').append(f.code()).append(": ").append(f.message()).append('\n');
        }
        if (s.counters().lastKeepaliveRoundTrip() != null) {
            b.append("Keepalive   ").append(s.counters().lastKeepaliveRoundTrip().toNanos() / 1000).append(" µs round trip\n");
        }
        b.append("Connects    ").append(s.counters().connects()).append(", disconnects ").append(s.counters().disconnects()).append('\n');
        b.append('\n');
        Table t = new Table("#", "Mapping", "State", "Reason", "Connections (open, failed)", "To target", "From target", "Explanation");
        for (MappingStatus m : s.mappings()) {
            io.sshtunnel.api.MappingCounters c = m.counters();
            t.row(m.index(), m.mapping().format(), m.state(), m.reason(), c.connections() + " (" + c.openConnections() + ", "
                    + c.failedConnections() + ")", bytes(c.bytesToTarget()), bytes(c.bytesFromTarget()), m.explanation(Locale.ENGLISH));
        }
        emit(b.append(t).toString());
    }

    @Descriptor("prints the tunnel as OpenSSH's client runs it: Host blocks for ~/.ssh/config (its jump hosts' first) and"
            + " the ssh command line, to reproduce a problem by hand; no secret in it")
    public void export(@Descriptor("the tunnel's name") String name) {
        TunnelStatus s = status(name);
        emit(OpenSshExport.export(s.spec(), other -> runtime.tunnel(other).map(TunnelStatus::spec).orElse(null)));
    }

    @Descriptor("creates the tunnels of an OpenSSH client configuration (~/.ssh/config): one per Host block (patterns such as"
            + " Host * are skipped), each checked before it is saved; every option not taken is listed")
    public void _import(@Descriptor("the configuration file") String file) throws IOException {
        _import(file, new String[0]);
    }

    @Descriptor("creates the tunnels of the named Host blocks of an OpenSSH client configuration, each checked before it is saved")
    public void _import(@Descriptor("the configuration file") String file, @Descriptor("the Host blocks to take") String[] hosts)
            throws IOException {
        List<OpenSshImport.Imported> found = OpenSshImport.read(java.nio.file.Path.of(file), List.of(hosts));
        if (found.isEmpty()) {
            throw new CommandException("no Host block " + (hosts.length == 0 ? "" : String.join(", ", hosts) + " ") + "in " + file
                    + " (patterns such as Host * are not tunnels)");
        }
        StringBuilder b = new StringBuilder();
        for (OpenSshImport.Imported i : found) {
            try {
                TunnelAdministration.Saved saved = admin.create(i.request.toProperties(), Locale.ENGLISH);
                b.append("tunnel \"").append(i.host).append("\" created (").append(saved.id()).append(")\n");
                for (Finding f : saved.findings()) {
                    b.append("  ").append(f.severity()).append(": ").append(f.message()).append('\n');
                }
            } catch (TunnelAdminException e) {
                b.append("tunnel \"").append(i.host).append("\" was not created: ").append(e.getMessage()).append('\n');
            }
            for (String n : i.notTaken) {
                b.append("  not taken: ").append(n).append('\n');
            }
        }
        emit(b.toString());
    }

    @Descriptor("starts a tunnel again (sets enabled=true)")
    public void enable(@Descriptor("the tunnel's name") String name) {
        emit(setEnabled(name, true));
    }

    @Descriptor("takes a tunnel down and keeps its configuration (sets enabled=false)")
    public void disable(@Descriptor("the tunnel's name") String name) {
        emit(setEnabled(name, false));
    }

    private String setEnabled(String name, boolean enabled) {
        TunnelStatus s = status(name);
        try {
            TunnelAdministration.Saved saved = admin.setEnabled(s.id(), enabled, Locale.ENGLISH);
            return "tunnel \"" + name + "\" " + (saved.written() ? "" : "was already ") + (enabled ? "enabled" : "disabled") + "\n";
        } catch (TunnelAdminException e) {
            throw new CommandException("tunnel \"" + name + "\" was not " + (enabled ? "enabled" : "disabled") + ": " + e.getMessage());
        }
    }

    @Descriptor("tests a tunnel's connection (host key and login) without changing anything")
    public void test(@Descriptor("the tunnel's name") String name) throws IOException {
        TunnelStatus s = status(name);
        Map<String, Object> p = admin.configuration(s.id()).map(TunnelAdministration.StoredTunnel::properties)
                .orElseThrow(() -> new CommandException("the configuration " + s.id() + " is gone"));
        TunnelSpec spec = s.spec();
        TunnelRequest r = TunnelRequest.builder(spec.name()).server(spec.serverHost(), spec.serverPort()).username(spec.username())
                .password(text(p.get(PASSWORD))).privateKey(spec.privateKeyPath(), text(p.get(PRIVATE_KEY_PASSPHRASE)))
                .fingerprint(spec.fingerprint()).fingerprintRequired(spec.fingerprintRequired())
                .connectTimeoutSeconds(spec.connectTimeoutSeconds()).build();
        emit(print(connectionTester().test(r)));
    }

    @Descriptor("tests a connection to an SSH server (host key and login) without saving anything")
    public void test(
            @Descriptor("the SSH server") @Parameter(names = "--host", absentValue = "") String host,
            @Descriptor("its port") @Parameter(names = "--port", absentValue = "22") int port,
            @Descriptor("the SSH user") @Parameter(names = "--user", absentValue = "") String user,
            @Descriptor("a file holding the password (first line)") @Parameter(names = "--password-file", absentValue = "") String passwordFile,
            @Descriptor("a private key file") @Parameter(names = "--key", absentValue = "") String key,
            @Descriptor("the fingerprint the server's key must have") @Parameter(names = "--fingerprint", absentValue = "") String fingerprint,
            @Descriptor("seconds to wait at most") @Parameter(names = "--timeout", absentValue = "15") int timeout) throws IOException {
        TunnelRequest r = TunnelRequest.builder("test").server(host, port).username(user).password(password(passwordFile))
                .privateKey(key.isEmpty() ? null : key, null).fingerprint(fingerprint.isEmpty() ? null : fingerprint)
                .connectTimeoutSeconds(timeout).build();
        emit(print(connectionTester().test(r)));
    }

    private ConnectionTester connectionTester() {
        ConnectionTester t = tester;
        if (t == null) {
            throw new CommandException("the connection test of the engine (bundle io.sshtunnel.core) is not running: start it");
        }
        return t;
    }

    static String print(ConnectionTestResult r) {
        StringBuilder b = new StringBuilder(r.success() ? "OK" : r.outcome().name()).append(": ").append(r.message()).append('\n');
        if (r.fingerprint() != null) {
            b.append("fingerprint ").append(r.fingerprint()).append(r.trustOnFirstUse() ? " (not trusted yet)" : "").append('\n');
        }
        return b.append("took ").append(r.took().toMillis()).append(" ms\n").toString();
    }

    @Descriptor("the service templates: id, category, title and the mappings each inserts")
    public void templates() {
        Table t = new Table("Id", "Category", "Title", "Mappings", "Fill in");
        for (TunnelTemplate tt : catalog().templates()) {
            t.row(tt.id(), tt.category().title(Locale.ENGLISH), tt.title(Locale.ENGLISH),
                    tt.mappings().stream().map(Object::toString).collect(Collectors.joining(", ")),
                    tt.placeholders().stream().map(p -> "--values " + p.name() + "=" + (p.example() == null ? "…" : p.example()))
                            .collect(Collectors.joining(", ")));
        }
        emit(t.toString());
    }

    @Descriptor("creates a tunnel from a service template, checked as the engine checks it before it is saved")
    public void create(
            @Descriptor("the template id (tunnel:templates lists them)") @Parameter(names = "--template", absentValue = "") String template,
            @Descriptor("the SSH server") @Parameter(names = "--host", absentValue = "") String host,
            @Descriptor("its port") @Parameter(names = "--port", absentValue = "22") int port,
            @Descriptor("the SSH user") @Parameter(names = "--user", absentValue = "") String user,
            @Descriptor("a file holding the password (first line)") @Parameter(names = "--password-file", absentValue = "") String passwordFile,
            @Descriptor("a private key file") @Parameter(names = "--key", absentValue = "") String key,
            @Descriptor("the template's placeholders, e.g. dc=dc1.corp.local (comma-separated)") @Parameter(names = "--values", absentValue = "") String values,
            @Descriptor("the new tunnel's name") String name) throws IOException {
        if (template.isEmpty()) {
            throw new CommandException("give --template ID (tunnel:templates lists them)");
        }
        if (runtime.tunnel(name).isPresent() || admin.configurationNamed(name).isPresent()) {
            throw new CommandException("there is already a tunnel \"" + name + "\": choose another name");
        }
        TunnelRequest request = TunnelRequest.builder(name).server(host, port).username(user).password(password(passwordFile))
                .privateKey(key.isEmpty() ? null : key, null).build();
        List<TunnelSpec> others = runtime.tunnels().stream().map(TunnelStatus::spec).collect(Collectors.toList());
        TemplateApplication a = catalog().apply(template, placeholders(values), request.toSpec(FACTORY_PID + "~" + name, null),
                others, Locale.ENGLISH);
        if (a.hasErrors()) {
            throw new CommandException("tunnel \"" + name + "\" was not created: " + String.join("; ", errors(a.findings())));
        }
        Map<String, Object> p = request.toBuilder().mappings(a.mappings()).build().toProperties();
        TunnelAdministration.Saved saved;
        try {
            saved = admin.create(p, Locale.ENGLISH); // checked as the engine checks it, then saved
        } catch (TunnelAdminException e) {
            throw new CommandException("tunnel \"" + name + "\" was not created: " + e.getMessage());
        }
        List<Finding> findings = saved.findings();
        StringBuilder b = new StringBuilder("tunnel \"").append(name).append("\" created (").append(saved.id()).append("):\n");
        for (PortMapping m : a.added()) {
            b.append("  ").append(m.format()).append(" — ").append(m.explain(Locale.ENGLISH)).append('\n');
        }
        for (Finding f : findings) {
            b.append("  ").append(f.severity()).append(": ").append(f.message()).append('\n');
        }
        emit(b.toString());
    }

    private TemplateCatalog catalog() {
        TemplateCatalog c = templates;
        if (c == null) {
            throw new CommandException("the templates bundle (io.sshtunnel.templates) is not running: start it");
        }
        return c;
    }

    static Map<String, String> placeholders(String values) {
        Map<String, String> out = new HashMap<>();
        for (String pair : values.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CommandException("--values \"" + Finding.quote(pair.strip()) + "\" is not name=value: write e.g. --values dc=dc1.corp.local");
            }
            out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return out;
    }

    private static String password(String file) throws IOException {
        if (file.isEmpty()) {
            return null;
        }
        Path f = Path.of(file);
        if (!Files.isReadable(f)) {
            throw new CommandException("--password-file " + file + " cannot be read: give a file whose first line is the password");
        }
        List<String> lines = Files.readAllLines(f);
        return lines.isEmpty() || lines.get(0).isEmpty() ? null : lines.get(0);
    }

    private TunnelStatus status(String name) {
        return runtime.tunnel(name).orElseThrow(() -> new CommandException("there is no tunnel \"" + Finding.quote(name)
                + "\": tunnel:list shows every tunnel"));
    }

    private static String text(Object o) {
        return o == null || o.toString().isEmpty() ? null : o.toString();
    }

    private static List<String> errors(List<Finding> findings) {
        List<String> out = new ArrayList<>();
        findings.stream().filter(Finding::isError).forEach(f -> out.add(f.message()));
        return out;
    }

    private static String owner(TunnelSpec s) {
        return s.owner() == null ? "(administrator)" : s.owner();
    }

    static String bytes(long n) {
        if (n < 10_000) {
            return n + " B";
        }
        if (n < 10_000_000) {
            return n / 1024 + " KiB";
        }
        return n < 10_000_000_000L ? n / (1024 * 1024) + " MiB" : n / (1024L * 1024 * 1024) + " GiB";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private String ago(Instant since) {
        long s = Math.max(0, Duration.between(since, clock.instant()).getSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 7200) {
            return s / 60 + " min ago";
        }
        return s < 172800 ? s / 3600 + " h ago" : s / 86400 + " d ago";
    }
}
