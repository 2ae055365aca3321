package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The product as a user runs it: the assembly with the port, FileInstall folder and storage
 * given on the command line, a {@code .cfg} file dropped into the folder, a real OpenSSH sshd
 * behind it, and a restart on the same storage.
 */
public class AssemblyIT {
    private static final Duration START = Duration.ofSeconds(60);

    private OutsideServers servers;
    private OpenSsh sshd;
    private EchoServer echo;
    private Assembly felix;

    @Before
    public void setUp() throws Exception {
        servers = OutsideServers.start("assembly");
        sshd = servers.sshd;
        echo = servers.echo;
        felix = new Assembly(servers.work, Net.freePort());
    }

    @After
    public void tearDown() throws Exception {
        if (felix != null) {
            felix.stop();
        }
        if (servers != null) {
            servers.close();
        }
    }

    /** The .cfg's text once the engine has written the trusted fingerprint into it. */
    private static String awaitPinnedIn(Path cfg) {
        return Await.until("fingerprint written back into " + cfg, Duration.ofSeconds(30), () -> {
            try {
                String text = Files.readString(cfg);
                return text.contains("SHA256:") ? text : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    /**
     * No open admin door in the assembly as a new user starts it: the console has no fixed
     * password, the generated one is readable by its owner only, and a page of another site cannot
     * make the operator's browser change anything (Configuration Manager, bundle upload).
     */
    @Test
    public void theConsoleHasAPasswordOfItsOwnAndRefusesCrossSiteChanges() throws Exception {
        felix.start();
        Await.until(() -> "web console with its generated password (see " + felix.log() + ")", START,
                () -> felix.consolePassword() != null && felix.http("/system/console/bundles") == 200);
        assertEquals("admin/admin does not open the console", 401, felix.http("/system/console/bundles", "admin"));
        assertEquals("no password does not either", 401, felix.http("/system/console/bundles", ""));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                felix.consoleConfig())));
        assertTrue("the log says where the password is", Files.readString(felix.log()).contains(
                "password generated at first start in " + felix.consoleConfig()));

        // a tunnel offering the server's side a port of this machine, posted from another site
        String form = "apply=true&factoryPid=io.sshtunnel.tunnel&propertylist=name,server.host,username,password,mappings"
                + "&name=evil&server.host=127.0.0.1&username=u&password=p&mappings=" + java.net.URLEncoder.encode(
                        "R *:9000:127.0.0.1:6666", java.nio.charset.StandardCharsets.UTF_8);
        String newConfig = "/system/console/configMgr/" + java.net.URLEncoder.encode("__Temporary PID replaced by real PID upon"
                + " save__", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        byte[] body = form.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(403, felix.post(newConfig, "application/x-www-form-urlencoded", body, "https://evil.example"));
        assertEquals(403, felix.post(newConfig, "application/x-www-form-urlencoded", body, "null"));

        // a bundle uploaded from another site
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "evil.example.bundle");
        new java.util.jar.JarOutputStream(jar, mf).close();
        String boundary = "----sshtunnel" + System.nanoTime();
        java.io.ByteArrayOutputStream multipart = new java.io.ByteArrayOutputStream();
        multipart.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ninstall\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"bundlestart\"\r\n\r\nstart\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\"evil.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        multipart.write(jar.toByteArray());
        multipart.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(403, felix.post("/system/console/bundles", "multipart/form-data; boundary=" + boundary,
                multipart.toByteArray(), "https://evil.example"));

        String bundles = felix.consoleGet("/system/console/bundles.json");
        assertFalse("the bundle was not installed", bundles.contains("evil.example.bundle"));
        assertFalse("the configuration was not created", storedConfigurationsMention("9000:127.0.0.1:6666"));

        // the console's own pages still work: the same form from its own origin is saved
        assertEquals(302, felix.post(newConfig, "application/x-www-form-urlencoded", body, felix.origin()));
    }

    /** A file FileInstall cannot read is refused in the log the operator reads, naming the file, never quoting its secret. */
    @Test
    public void aFileThatCannotBeReadIsReportedInTheLogWithoutItsSecret() throws Exception {
        felix.start();
        Await.until(() -> "web console (see " + felix.log() + ")", START, () -> felix.http("/system/console/bundles") == 200);
        Path bad = felix.drop("garbage", "password = Winter2025-do-not-show", "name = broken\\uZZZZ");
        String line = Await.until("FileInstall's refusal in the log", Duration.ofSeconds(30), () -> {
            try {
                return Files.readAllLines(felix.log()).stream().filter(l -> l.contains(bad.toString()) && l.contains("ERROR"))
                        .findFirst().orElse(null);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(line, line.contains("osgi.org.apache.felix.fileinstall") && line.contains("Unable to parse"));
        assertFalse("the secret is never logged", Files.readString(felix.log()).contains("Winter2025-do-not-show"));
    }

    /** One configuration with a 10 MB value does not make the console's list of configurations 10 MB. */
    @Test
    public void aHugeValueDoesNotMakeTheConsolesListHuge() throws Exception {
        felix.start();
        Await.until(() -> "web console (see " + felix.log() + ")", START, () -> felix.http("/system/console/bundles") == 200);
        felix.drop("huge", "name = huge", "username = u", "password = p", "mappings = L " + Net.freePort() + ":x:1",
                "server.host = " + "h".repeat(10_000_000));
        // the console lists the configuration as soon as Config Admin has it, and the engine's label a moment later
        String page = Await.until("the huge tunnel listed in the Configuration Manager with its capped label", START, () -> {
            String p = felix.consoleGet("/system/console/configMgr");
            return p != null && (p.contains("hhhh\u2026") || p.contains("hhhh\\u2026")) ? p : null;
        });
        assertTrue(page.length() + " characters", page.length() < 100_000);
    }

    /** Whether any configuration Config Admin stored contains the text. */
    private boolean storedConfigurationsMention(String text) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(felix.storage())) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".config")).anyMatch(f -> {
                try {
                    return Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    public void configFileDropOpensATunnelThatSurvivesARestart() throws Exception {
        int l = Net.freePort();
        felix.start();
        Await.until(() -> "web console on the port given with -D (see " + felix.log() + ")", START,
                () -> felix.http("/system/console/bundles") == 200);
        assertTrue("the storage folder given with -D is used", Files.isDirectory(felix.storage()));
        assertFalse("no shell port unless asked for: the telnet shell has no password", Net.accepts("127.0.0.1", 6666));

        long dropped = System.nanoTime();
        Path cfg = felix.drop("customer",
                "name = customer",
                "server.host = 127.0.0.1",
                "server.port = " + sshd.port(),
                "username = " + System.getProperty("user.name"),
                "private.key.path = " + sshd.clientKey(),
                "mappings = L " + l + ":127.0.0.1:" + echo.port() + " # echo");
        Await.until("bytes through the L mapping of the dropped .cfg", Duration.ofSeconds(30), () -> Net.echoes(l));
        Figures.millis("assembly", ".cfg dropped → first byte through L (FileInstall poll 0.5 s)", dropped);

        String written = awaitPinnedIn(cfg);
        assertTrue(written, written.contains(sshd.fingerprint()));

        felix.stop();
        Await.until("listener gone with the framework", Duration.ofSeconds(20), () -> !Net.accepts("127.0.0.1", l));
        long restarted = System.nanoTime();
        felix.start();
        Await.until("tunnel back after a restart on the same storage", START, () -> Net.echoes(l));
        Figures.millis("assembly", "JVM restarted on the same storage → first byte through L", restarted);
        assertFalse("nothing in the log reveals a secret", felix.logText().contains("PRIVATE KEY"));
        Await.until("web console back", START, () -> felix.http("/system/console/bundles") == 200);
    }

    /**
     * Secrets need not sit in the configuration: {@code $[secret:NAME]} reads a file in
     * {@code secrets/}, {@code $[env:NAME]} an environment variable (Config Admin's interpolation
     * plugin). The tunnel gets the values; the .cfg file, the stored configuration and the console
     * keep the placeholders, also after the engine wrote the trusted fingerprint back.
     */
    @Test
    public void placeholdersForSecretsAreResolvedForTheTunnelAndNeverWrittenBack() throws Exception {
        int l = Net.freePort();
        Path secrets = Files.createDirectories(felix.work().resolve("secrets"));
        Files.writeString(secrets.resolve("customer-user"), System.getProperty("user.name"));
        String keyPath = sshd.clientKey().toString();
        felix.withEnv("SSHTUNNEL_CUSTOMER_KEY", keyPath).start();
        Await.until(() -> "web console (see " + felix.log() + ")", START, () -> felix.http("/system/console/bundles") == 200);

        Path cfg = felix.drop("customer",
                "name = customer",
                "server.host = 127.0.0.1",
                "server.port = " + sshd.port(),
                "username = $[secret:customer-user]",
                "private.key.path = $[env:SSHTUNNEL_CUSTOMER_KEY]",
                "mappings = L " + l + ":127.0.0.1:" + echo.port());
        Await.until(() -> "bytes through the tunnel whose user and key come from placeholders (see " + felix.log() + ")",
                Duration.ofSeconds(30), () -> Net.echoes(l));
        String written = awaitPinnedIn(cfg);
        assertTrue(written, written.contains("username = $[secret:customer-user]\n"));
        assertTrue(written, written.contains("private.key.path = $[env:SSHTUNNEL_CUSTOMER_KEY]\n"));
        assertFalse(written, written.contains(keyPath));

        // what Config Admin stored holds the placeholder, never the path it stands for
        java.util.List<Path> stored;
        try (java.util.stream.Stream<Path> files = Files.walk(felix.storage())) {
            stored = files.filter(f -> f.toString().endsWith(".config")).collect(java.util.stream.Collectors.toList());
        }
        boolean found = false;
        for (Path f : stored) {
            String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertFalse(f + " holds the resolved value: " + text, text.contains(keyPath));
            found |= text.contains("$[env:SSHTUNNEL_CUSTOMER_KEY]");
        }
        assertTrue("the stored configuration keeps the placeholder: " + stored, found);
        String json = felix.consoleJson("io.sshtunnel.tunnel~customer");
        assertTrue("the console shows the placeholder: " + json, json != null && json.contains("$[env:SSHTUNNEL_CUSTOMER_KEY]"));
        assertFalse(json, json.contains(keyPath));
    }

    /**
     * A module hot-deployed into the watched folder owns its tunnel: the Configuration Manager
     * refuses to change or delete it, naming the module, and refuses an administrator's edit that
     * validation rejects, with the finding, instead of saving it.
     */
    @Test
    public void theConsoleRefusesChangesOfAModulesTunnelAndInvalidEditsWithTheReason() throws Exception {
        int port = Net.freePort();
        felix.start();
        Await.until(() -> "web console (see " + felix.log() + ")", START, () -> felix.http("/system/console/bundles") == 200);
        felix.deployDirectoryModule(sshd, port, echo.port());
        Await.until(() -> "bytes through the module's tunnel (see " + felix.log() + ")", START, () -> Net.echoes(port));

        String pid = "io.sshtunnel.tunnel~directory";
        java.util.Map<String, java.util.List<String>> form = new java.util.LinkedHashMap<>();
        form.put("name", java.util.List.of("directory"));
        form.put("server.host", java.util.List.of("127.0.0.1"));
        form.put("server.port", java.util.List.of(String.valueOf(sshd.port())));
        form.put("username", java.util.List.of(System.getProperty("user.name")));
        form.put("private.key.path", java.util.List.of(sshd.clientKey().toString()));
        form.put("owner", java.util.List.of(""));
        form.put("mappings", java.util.List.of("L " + Net.freePort() + ":127.0.0.1:" + echo.port()));
        Assembly.Reply update = felix.postForm("/system/console/configMgr/" + pid, Assembly.configForm("io.sshtunnel.tunnel", form));
        assertEquals(update.body(), 400, update.status());
        assertTrue(update.body(), update.body().contains("owned by module") && update.body().contains("io.sshtunnel.itest.directory"));
        Assembly.Reply delete = felix.postForm("/system/console/configMgr/" + pid, "apply=1&delete=1");
        assertEquals(delete.body(), 400, delete.status());
        String json = felix.consoleJson(pid);
        assertTrue("the module's configuration is untouched: " + json, json != null && json.contains("io.sshtunnel.itest.directory")
                && json.contains("L " + port + ":127.0.0.1:" + echo.port()));
        assertTrue("and its tunnel works", Net.echoes(port));

        // an administrator's new tunnel on the port the module's tunnel holds: refused with the finding
        form.put("name", java.util.List.of("clash"));
        form.put("mappings", java.util.List.of("L " + port + ":127.0.0.1:1"));
        Assembly.Reply clash = felix.postForm("/system/console/configMgr/" + java.net.URLEncoder.encode(
                "__Temporary PID replaced by real PID upon save__", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"),
                Assembly.configForm("io.sshtunnel.tunnel", form));
        assertEquals(clash.body(), 400, clash.status());
        assertTrue(clash.body(), clash.body().contains("local port " + port + " is already used by tunnel"));
        // and a valid one is saved as before
        int free = Net.freePort();
        form.put("name", java.util.List.of("fine"));
        form.put("mappings", java.util.List.of("L " + free + ":127.0.0.1:" + echo.port()));
        felix.saveInConsole("io.sshtunnel.tunnel", null, form);
        Await.until("the administrator's tunnel saved in the console works", Duration.ofSeconds(30), () -> Net.echoes(free));
        // Config Admin hands its events to the audit in order: a change the audit must name, made after the
        // console's save, shows that every event before it has been looked at
        felix.drop("sentinel", "name = sentinel", "owner = io.sshtunnel.itest.ghost", "server.host = 127.0.0.1",
                "username = u", "password = p", "mappings = L " + Net.freePort() + ":127.0.0.1:1");
        Await.until("the audit's line about the sentinel, changed outside its module", Duration.ofSeconds(30),
                () -> uncheckedLog().contains("Audit: tunnel \"sentinel\""));
        assertEquals("the audit names only the sentinel: the console changed no module's tunnel", List.of("sentinel"),
                uncheckedLog().lines().filter(l -> l.contains("Audit: tunnel"))
                        .map(l -> l.replaceFirst(".*Audit: tunnel \"([^\"]*)\".*", "$1")).distinct().collect(Collectors.toList()));
        Files.delete(felix.conf().resolve("io.sshtunnel.tunnel-sentinel.cfg"));

        // monitoring out of the box: metrics in Prometheus's format, health checks, the console's health page
        String metrics = felix.get("/metrics/sshtunnel");
        assertTrue(metrics, metrics.contains("sshtunnel_tunnel_state{tunnel=\"directory\",state=\"UP\"} 1"));
        assertTrue(metrics, metrics.contains("sshtunnel_mapping_connections_total{tunnel=\"directory\",mapping=\"" + port + ":127.0.0.1:"
                + echo.port() + "\",kind=\"L\"}"));
        Path promtool = Path.of("/usr/bin/promtool");
        if (!Files.isExecutable(promtool) && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI must provide promtool (Debian: prometheus) to check the metrics format");
        }
        if (Files.isExecutable(promtool)) {
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            check.getOutputStream().write(metrics.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String said = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(check.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("promtool check metrics: " + said, 0, check.exitValue());
            assertEquals("", said.strip());
        }
        String health = Await.until("health checks at /system/health", Duration.ofSeconds(30), () -> felix.get("/system/health.txt?tags=sshtunnel"));
        assertTrue(health, health.contains("OK"));
        String verbose = felix.get("/system/health.verbose.txt?tags=sshtunnel");
        assertTrue(verbose, verbose.contains("tunnel \"directory\"") && verbose.contains("is UP"));
        assertEquals("the console's health page", 200, felix.http("/system/console/healthcheck"));
    }

    private String uncheckedLog() {
        try {
            return felix.logText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    public void killedDuringABurstOfNewConfigurationsEveryTunnelComesBack() throws Exception {
        felix.start();
        Await.until(() -> "web console (see " + felix.log() + ")", START, () -> felix.http("/system/console/bundles") == 200);
        java.util.List<Integer> ports = new java.util.ArrayList<>();
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int l = Net.freeStablePort();
            while (ports.contains(l)) {
                l = Net.freeStablePort();
            }
            ports.add(l);
            if (i == 15) {
                felix.kill(); // kill -9 in the middle of the burst: no clean shutdown of anything
            }
            files.add(felix.drop("burst" + i,
                    "name = burst" + i,
                    "server.host = 127.0.0.1",
                    "server.port = " + sshd.port(),
                    "username = " + System.getProperty("user.name"),
                    "private.key.path = " + sshd.clientKey(),
                    "mappings = L " + l + ":127.0.0.1:" + echo.port()));
        }
        long restarted = System.nanoTime();
        felix.start();
        for (int l : ports) {
            Await.until("tunnel on " + l + " back after kill -9 and restart", START, () -> Net.echoes(l));
        }
        Figures.millis("assembly", "kill -9 during a burst of 30 new .cfg files, restart → all 30 carry bytes", restarted);
        for (Path f : files) {
            String text = Files.readString(f);
            assertTrue(f + " kept its configuration: " + text, text.contains("server.host") && text.contains("mappings"));
        }
    }

    /**
     * Configurations made in the Web Console only (no file of the user's), killed with -9 while
     * two administrators keep saving: every update the console acknowledged is still there after
     * the restart, and every tunnel carries bytes again.
     */
    @Test
    public void killedDuringABurstOfConsoleUpdatesNoAcknowledgedUpdateIsLost() throws Exception {
        felix.start();
        Await.until(() -> "web console (see " + felix.log() + ")", START, () -> felix.http("/system/console/configMgr") == 200);
        int tunnels = 10;
        java.util.List<Integer> ports = new java.util.ArrayList<>();
        java.util.List<String> pids = new java.util.ArrayList<>();
        for (int i = 0; i < tunnels; i++) {
            int l = Net.freeStablePort();
            while (ports.contains(l)) {
                l = Net.freeStablePort();
            }
            ports.add(l);
            pids.add(felix.saveInConsole("io.sshtunnel.tunnel", null, consoleForm(i, l, 0)));
        }
        java.util.concurrent.atomic.AtomicIntegerArray acknowledged = new java.util.concurrent.atomic.AtomicIntegerArray(tunnels);
        java.util.concurrent.atomic.AtomicInteger saves = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch killNow = new java.util.concurrent.CountDownLatch(1);
        Path killedRun;
        java.util.concurrent.ExecutorService admins = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int a = 0; a < 2; a++) {
                int admin = a;
                admins.submit(() -> {
                    // each administrator edits half of the tunnels, version after version, until the JVM is gone
                    for (int version = 1; version <= 10_000; version++) {
                        for (int i = admin; i < tunnels; i += 2) {
                            try {
                                felix.saveInConsole("io.sshtunnel.tunnel", pids.get(i), consoleForm(i, ports.get(i), version));
                            } catch (IOException gone) {
                                return null;
                            }
                            acknowledged.set(i, version);
                            if (saves.incrementAndGet() == 200) {
                                killNow.countDown();
                            }
                        }
                    }
                    return null;
                });
            }
            assertTrue("200 saves acknowledged", killNow.await(60, java.util.concurrent.TimeUnit.SECONDS));
            killedRun = Await.until("the launcher's folder of this run", START, felix::runFolder);
            felix.kill();
            admins.shutdown();
            assertTrue(admins.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            admins.shutdownNow();
        }
        assertTrue("a killed run cannot remove its own folder", Files.isDirectory(killedRun));
        long restarted = System.nanoTime();
        felix.start();
        for (int l : ports) {
            Await.until("tunnel on " + l + " back after kill -9 and restart", START, () -> Net.echoes(l));
        }
        Path stale = killedRun;
        Await.until("the killed run's folder removed by the next start", START, () -> !Files.exists(stale));
        Figures.millis("assembly", "kill -9 in a stream of Web Console saves to " + tunnels + " tunnels (two at a time), restart → all carry bytes", restarted);
        String checked = Await.until("the storage check reported", START, () -> {
            try {
                // the first start's report, then the restart's (the log is appended to)
                return felix.logText().lines().filter(line -> line.contains("Configuration storage checked")).skip(1).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
        Figures.record("assembly", "kill -9 in a stream of Web Console saves: configurations the storage repair restored",
                checked.replaceAll(".*: (\\d+) restored.*", "$1"));
        Await.until("web console back", START, () -> felix.http("/system/console/configMgr") == 200);
        for (int i = 0; i < tunnels; i++) {
            String json = felix.consoleJson(pids.get(i));
            assertTrue(pids.get(i) + " is still configured: " + json, json != null && json.contains("burst" + i));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("# version (\\d+)").matcher(json);
            assertTrue("the mapping of " + pids.get(i) + " is whole: " + json, m.find());
            int kept = Integer.parseInt(m.group(1));
            assertTrue(pids.get(i) + " kept version " + kept + ", the console had acknowledged " + acknowledged.get(i),
                    kept >= acknowledged.get(i));
        }
        assertStorageIsTheOwnersOnly();
    }

    /** Every folder and file of Config Admin's storage (they hold passwords) is closed to other users. */
    private void assertStorageIsTheOwnersOnly() throws IOException {
        java.util.List<String> open = new java.util.ArrayList<>();
        int seen = 0;
        try (java.util.stream.Stream<Path> all = Files.walk(felix.storage())) {
            for (Path config : (Iterable<Path>) all.filter(p -> p.getFileName().toString().equals("config")
                    && p.getParent().getFileName().toString().equals("data"))::iterator) {
                try (java.util.stream.Stream<Path> inside = Files.walk(config)) {
                    for (Path p : (Iterable<Path>) inside::iterator) {
                        seen++;
                        String mode = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                        if (!mode.equals(Files.isDirectory(p) ? "rwx------" : "rw-------")) {
                            open.add(mode + " " + p);
                        }
                    }
                }
            }
        }
        assertTrue("the configuration storage was found", seen > 1);
        assertEquals("files and folders others may read", java.util.List.of(), open);
    }

    private java.util.Map<String, java.util.List<String>> consoleForm(int i, int port, int version) {
        java.util.Map<String, java.util.List<String>> form = new java.util.LinkedHashMap<>();
        form.put("name", java.util.List.of("burst" + i));
        form.put("server.host", java.util.List.of("127.0.0.1"));
        form.put("server.port", java.util.List.of(String.valueOf(sshd.port())));
        form.put("username", java.util.List.of(System.getProperty("user.name")));
        form.put("private.key.path", java.util.List.of(sshd.clientKey().toString()));
        form.put("mappings", java.util.List.of("L " + port + ":127.0.0.1:" + echo.port() + " # version " + version));
        return form;
    }
}
