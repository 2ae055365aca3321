package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The second security review's findings, each tried against the assembly as a user runs it: with
 * {@code -Dio.sshtunnel.fingerprint.required=true}, tunnels dropped as files, a TCP server that
 * counts every connection made to it (no password can reach a server that nobody connected to),
 * and a real browser for what another site's page can read.
 */
public class LockdownIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STATE = Duration.ofSeconds(30);
    /** What the page shows in a secret field that is set, and sends back for "keep the stored one". */
    private static final String MASK = "\u2022".repeat(8);
    private static final String PIN = "SHA256:" + "A".repeat(43);

    private static Path work;
    private static Assembly felix;
    private static int port;
    /** Stands for another host: every connection to it is counted. */
    private static TestServer recorder;
    /** Where the tunnel with the stored password goes (answers nothing). */
    private static TestServer home;
    /** Where the tunnel that would waive fingerprint.required goes. */
    private static TestServer floor;

    @BeforeClass
    public static void setUp() throws Exception {
        work = Path.of(System.getProperty("itest.work", "target/itest-work"), "lockdown-" + System.nanoTime()).toAbsolutePath();
        recorder = new TestServer("recorder", s -> { });
        home = new TestServer("home", s -> { });
        floor = new TestServer("floor", s -> { });
        port = Net.freePort();
        Files.createDirectories(work);
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        Files.writeString(secrets.resolve("lockdown"), "from-secrets");
        Files.setPosixFilePermissions(secrets.resolve("lockdown"), PosixFilePermissions.fromString("rw-r--r--"));
        Path key = work.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        Requirements.require(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0, "ssh-keygen (Debian: openssh-client)");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        felix = new Assembly(work, port, "-Dio.sshtunnel.fingerprint.required=true");
        felix.start();
        Await.until(() -> "web console with its generated password (see " + felix.log() + ")", START,
                () -> felix.consolePassword() != null && felix.http("/system/console/bundles") == 200);
        // the .cfg is as a text editor leaves it (0644): it holds the password
        felix.drop("stored", "name = stored", "server.host = 127.0.0.1", "server.port = " + home.port(), "username = u",
                "password = stored-secret-1", "fingerprint = " + PIN, "mappings = L " + Net.freePort() + ":127.0.0.1:9");
        felix.drop("floor", "name = floor", "server.host = 127.0.0.1", "server.port = " + floor.port(), "username = u",
                "password = p", "fingerprint.required = false", "mappings = L " + Net.freePort() + ":127.0.0.1:9");
        felix.drop("fromsecret", "name = fromsecret", "server.host = 127.0.0.1", "server.port = " + home.port(), "username = u",
                "password = $[secret:lockdown]", "fingerprint = " + PIN, "mappings = L " + Net.freePort() + ":127.0.0.1:9");
        Path keyed = felix.drop("keyed", "name = keyed", "server.host = 127.0.0.1", "server.port = " + home.port(), "username = u",
                "private.key.path = " + key, "fingerprint = " + PIN, "mappings = L " + Net.freePort() + ":127.0.0.1:9");
        Files.setPosixFilePermissions(keyed, PosixFilePermissions.fromString("rw-------"));
        for (String name : new String[] { "stored", "floor", "fromsecret", "keyed" }) {
            Await.until(() -> "tunnel " + name + " (see " + felix.log() + ")", START, () -> tunnel(name));
        }
    }

    @AfterClass
    public static void tearDown() throws Exception {
        if (felix != null) {
            felix.stop();
        }
        for (TestServer s : new TestServer[] { recorder, home, floor }) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** The named tunnel in sshtunnels.json, or null. */
    static JsonObject tunnel(String name) {
        String json = felix.consoleGet("/system/console/sshtunnels.json");
        if (json == null) {
            return null;
        }
        for (JsonElement t : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("tunnels")) {
            if (name.equals(t.getAsJsonObject().get("name").getAsString())) {
                return t.getAsJsonObject();
            }
        }
        return null;
    }

    /** A tunnel's JSON for a failure message, cut: before the fix one was 20 MB. */
    static String shortened(JsonObject t) {
        String s = String.valueOf(t);
        return s.length() > 2000 ? s.substring(0, 2000) + "... (" + s.length() + " characters)" : s;
    }

    /** A POST of the page's script: its header, from the console's own origin. */
    static HttpResponse<String> action(String action, String body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(felix.origin() + "/system/console/sshtunnels/" + action))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", basic("admin", felix.consolePassword()))
                .header("Origin", felix.origin()).header("X-Requested-With", "XMLHttpRequest")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
    }

    /** A connection test, waiting out the rate limit if another test spent it. */
    static JsonObject connectionTest(JsonObject candidate) {
        return Await.until("a connection test's answer", STATE, () -> {
            try {
                HttpResponse<String> r = action("test", candidate.toString());
                if (r.statusCode() == 429) {
                    return null;
                }
                assertEquals(r.body(), 200, r.statusCode());
                return JsonParser.parseString(r.body()).getAsJsonObject();
            } catch (IOException e) {
                throw new AssertionError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonObject candidate(String host, int serverPort, String password) {
        JsonObject c = new JsonObject();
        c.addProperty("id", "io.sshtunnel.tunnel~stored");
        c.addProperty("name", "stored");
        c.addProperty("serverHost", host);
        c.addProperty("serverPort", serverPort);
        c.addProperty("username", "u");
        c.addProperty("password", password);
        return c;
    }

    @Test
    public void theConnectionTestSendsAStoredPasswordOnlyToTheServerAndKeyItWasSavedFor() {
        JsonObject elsewhere = connectionTest(candidate("127.0.0.1", recorder.port(), MASK));
        assertEquals(elsewhere.toString(), "INCOMPLETE", elsewhere.get("outcome").getAsString());
        assertTrue(elsewhere.toString(), elsewhere.get("message").getAsString().contains("type the password again"));

        JsonObject otherUser = candidate("127.0.0.1", home.port(), MASK);
        otherUser.addProperty("username", "root");
        assertEquals("INCOMPLETE", connectionTest(otherUser).get("outcome").getAsString());

        JsonObject unsavedKey = candidate("127.0.0.1", home.port(), MASK);
        unsavedKey.addProperty("fingerprint", "SHA256:" + "B".repeat(43));
        JsonObject k = connectionTest(unsavedKey);
        assertEquals(k.toString(), "INCOMPLETE", k.get("outcome").getAsString());
        assertTrue(k.toString(), k.get("message").getAsString().contains("not saved yet"));
        assertEquals("no connection, so no password, reached the other server", 0, recorder.accepted());

        // the same test with the password typed goes out: the count above could have seen it
        JsonObject typed = candidate("127.0.0.1", recorder.port(), "typed-by-the-operator");
        typed.addProperty("fingerprint", PIN);
        connectionTest(typed);
        assertTrue("a typed password is tested where the operator says", recorder.accepted() >= 1);
    }

    @Test
    public void theContainersFingerprintRequirementIsAFloorAConfigurationCannotLower() {
        JsonObject t = Await.until(() -> "tunnel floor refused: " + tunnel("floor"), STATE,
                () -> finding(tunnel("floor"), "FINGERPRINT_MISSING"));
        assertEquals("fingerprint", t.get("property").getAsString());
        assertEquals("INVALID", tunnel("floor").get("state").getAsString());
        assertEquals("nothing was sent to a key nobody accepted", 0, floor.accepted());
    }

    @Test
    public void secretsOthersMayReadAreAWarningInTheJsonAndALogLine() throws IOException {
        for (String name : new String[] { "stored", "fromsecret" }) {
            JsonObject t = Await.until(() -> "a SECRET_FILE_PERMISSIONS finding on " + tunnel(name), STATE,
                    () -> finding(tunnel(name), "SECRET_FILE_PERMISSIONS"));
            assertEquals("password", t.get("property").getAsString());
            assertEquals("WARNING", t.get("severity").getAsString());
        }
        assertTrue(finding(tunnel("fromsecret"), "SECRET_FILE_PERMISSIONS").get("message").getAsString()
                .contains(work.resolve("secrets").resolve("lockdown").toString()));
        assertNotNull(Await.until("a KEY_FILE_PERMISSIONS finding", STATE, () -> finding(tunnel("keyed"), "KEY_FILE_PERMISSIONS")));
        Await.until("one log line for each", STATE, () -> {
            try {
                String log = felix.logText();
                return log.contains("Tunnel \"stored\": WARNING SECRET_FILE_PERMISSIONS")
                        && log.contains("Tunnel \"fromsecret\": WARNING SECRET_FILE_PERMISSIONS")
                        && log.contains("Tunnel \"keyed\": WARNING KEY_FILE_PERMISSIONS");
            } catch (IOException e) {
                return false;
            }
        });
        assertFalse("no secret in the log", felix.logText().contains("stored-secret-1") || felix.logText().contains("from-secrets"));
    }

    private static JsonObject finding(JsonObject tunnel, String code) {
        if (tunnel == null) {
            return null;
        }
        for (JsonElement f : tunnel.getAsJsonArray("findings")) {
            if (code.equals(f.getAsJsonObject().get("code").getAsString())) {
                return f.getAsJsonObject();
            }
        }
        return null;
    }

    /** Status of a request with the given Host header, as a page of another site after DNS rebinding sends it. */
    static int withHost(String path, String host, String authorization) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    public void theConsoleHealthAndMetricsAnswerOnlyToThisMachinesNames() throws IOException {
        String admin = basic("admin", felix.consolePassword());
        String evil = "127.evil.example:" + port;
        assertEquals(403, withHost("/system/console/sshtunnels.json", evil, admin));
        assertEquals(403, withHost("/system/health.json", evil, null));
        assertEquals(403, withHost("/metrics/sshtunnel", evil, null));
        assertEquals(403, withHost("/system/health.json", "rebound.example:" + port, null));
        String own = "localhost:" + port;
        assertEquals(200, withHost("/system/console/sshtunnels.json", own, admin));
        assertTrue(withHost("/system/health.json?httpStatus=CRITICAL:200", own, null) == 200);
        int metrics = withHost("/metrics/sshtunnel", "127.0.0.1:" + port, null);
        assertTrue("200, or 401 while another test has set a password: " + metrics, metrics == 200 || metrics == 401);
    }

    @Test
    public void metricsCanRequireALoginThatPrometheusSends() throws Exception {
        Path cfg = felix.conf().resolve("io.sshtunnel.metrics.cfg");
        assertEquals(200, withHost("/metrics/sshtunnel", "127.0.0.1:" + port, null));
        Path tmp = felix.work().resolve("metrics.cfg.tmp");
        Files.writeString(tmp, "username = prometheus\npassword = scrape-Secret\n");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, cfg);
        try {
            Await.until("metrics asking for a login", STATE, () -> statusOf("/metrics/sshtunnel", null) == 401);
            assertEquals(200, withHost("/metrics/sshtunnel", "127.0.0.1:" + port, basic("prometheus", "scrape-Secret")));
            assertEquals(401, withHost("/metrics/sshtunnel", "127.0.0.1:" + port, basic("prometheus", "wrong")));
        } finally {
            Files.delete(cfg);
        }
        Await.until("metrics open again without the configuration", STATE, () -> statusOf("/metrics/sshtunnel", null) == 200);
    }

    private static int statusOf(String path, String authorization) {
        try {
            return withHost(path, "127.0.0.1:" + port, authorization);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Another site's page in the browser: before, a {@code <script>} of {@code health.jsonp}
     * handed it the tunnels' names, servers and states (with {@code httpStatus} asking for 200
     * whatever the health); now neither that nor a fetch of the JSON reads anything.
     */
    @Test
    public void anotherSitesPageReadsNothingOfTheHealth() throws Exception {
        String health = felix.origin() + "/system/health";
        String all200 = "httpStatus=CRITICAL:200,WARN:200,TEMPORARILY_UNAVAILABLE:200,HEALTH_CHECK_ERROR:200";
        String page = "<html><body><script>var got = [];"
                + "window.leak = function (d) { got.push(JSON.stringify(d)); };"
                + "var pending = 3; function done() { if (--pending === 0) { document.title = got.length ? 'read: ' + got.join() : 'read nothing'; } }"
                + "['" + health + ".jsonp?callback=leak&" + all200 + "', '" + health + "?format=jsonp&callback=leak&" + all200 + "']"
                + ".forEach(function (u) { var s = document.createElement('script'); s.src = u; s.onload = done; s.onerror = done;"
                + " document.body.appendChild(s); });"
                + "fetch('" + health + ".json?" + all200 + "').then(function (r) { return r.text(); })"
                + ".then(function (t) { got.push(t); done(); }, function () { done(); });"
                + "</script></body></html>";
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 10);
        evil.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        evil.start();
        WebDriver browser = Chromium.start(work.resolve("browser"));
        try {
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            String title = new WebDriverWait(browser, STATE).until(d -> d.getTitle().startsWith("read") ? d.getTitle() : null);
            assertEquals("another site's page read nothing", "read nothing", title);
        } finally {
            browser.quit();
            evil.stop(0);
        }
        assertEquals("the health itself answers this machine's own requests",
                200, withHost("/system/health.json?" + all200, "127.0.0.1:" + port, null));
    }

    @Test
    public void answersStayBoundedWhateverIsStored() throws Exception {
        String big = "p".repeat(10_000_000);
        felix.drop("huge", "name = huge", "server.host = 127.0.0.1", "server.port = " + home.port(), "username = u",
                "password = " + big, "fingerprint = " + PIN, "mappings = L " + Net.freePort() + ":127.0.0.1:9 # " + "l".repeat(10_000_000));
        StringBuilder many = new StringBuilder("mappings = ");
        for (int i = 0; i < 100_000; i++) {
            many.append(i == 0 ? "" : ",").append("L ").append(20_000 + i % 40_000).append(":h").append(i).append(":1");
        }
        felix.drop("many", "name = many", "server.host = 127.0.0.1", "server.port = " + home.port(), "username = u",
                "password = p", "fingerprint = " + PIN, many.toString());
        try {
            JsonObject huge = Await.until(() -> "tunnel huge INVALID: " + shortened(tunnel("huge")), START,
                    () -> tunnel("huge") != null && "INVALID".equals(tunnel("huge").get("state").getAsString()) ? tunnel("huge") : null);
            assertNotNull(huge.toString(), finding(huge, "TOO_LONG"));
            JsonObject m = Await.until(() -> "tunnel many INVALID: " + shortened(tunnel("many")), START,
                    () -> tunnel("many") != null && "INVALID".equals(tunnel("many").get("state").getAsString()) ? tunnel("many") : null);
            assertTrue(m.get("reason").getAsString(), m.get("reason").getAsString().contains("100000"));
            assertTrue(m.getAsJsonArray("mappings").size() <= 100);
            String json = felix.consoleGet("/system/console/sshtunnels.json");
            assertTrue("sshtunnels.json is " + json.length() + " characters", json.length() < 256 * 1024);
            assertFalse(json.contains("ppppp"));
            String metrics = felix.get("/metrics/sshtunnel");
            assertNotNull(metrics);
            assertTrue("metrics are " + metrics.length() + " characters", metrics.length() < 64 * 1024);
            HttpResponse<String> validate = action("validate", "{\"name\":\"x\",\"mappings\":[\"" + "L 1:a:1 # x".repeat(100_000) + "\"]}");
            assertEquals(validate.body(), 413, validate.statusCode());
            assertTrue(validate.body().length() < 1024);
        } finally {
            Files.deleteIfExists(felix.conf().resolve("io.sshtunnel.tunnel-huge.cfg"));
            Files.deleteIfExists(felix.conf().resolve("io.sshtunnel.tunnel-many.cfg"));
        }
    }

    @Test
    public void connectionTestsAreLimitedSoThatTheyScanNoPorts() throws Exception {
        int closed = Net.freePort();
        int limited = 0;
        for (int i = 0; i < 12; i++) {
            JsonObject c = candidate("127.0.0.1", closed, "typed");
            c.remove("id");
            c.addProperty("fingerprint", PIN);
            if (action("test", c.toString()).statusCode() == 429) {
                limited++;
            }
        }
        // the bound the security documentation gives: a burst of 4, then 2 tests a second
        assertTrue("tests beyond the burst are refused with 429: " + limited, limited >= 12 - 4 - 2);
    }

    /** The symbolic names of the installed bundles, from the console's bundle list; null while the console does not answer. */
    private static java.util.Set<String> bundles(Assembly a) {
        String json = a.consoleGet("/system/console/bundles.json");
        if (json == null) {
            return null;
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (JsonElement b : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("data")) {
            out.add(b.getAsJsonObject().get("symbolicName").getAsString());
        }
        return out;
    }

    /**
     * Only the deploy folder runs code, and only while it is the assembly user's alone: a deploy
     * that is a link to a folder everybody may write is not watched (an ERROR says why and how to
     * fix it), and a jar in conf/ is never installed; made owner-only, the same folder deploys.
     */
    @Test
    public void onlyADeployFolderOfTheAssemblysUserAloneRunsCode() throws Exception {
        Path dir = Files.createDirectories(work.resolve("deploy-check"));
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(dir.resolve("deploy"), shared);
        Path modules = Path.of(System.getProperty("test.modules", "target/test-modules"));
        Files.copy(modules.resolve("io.sshtunnel.itest.directory.jar"), shared.resolve("io.sshtunnel.itest.directory.jar"));
        Files.createDirectories(dir.resolve("conf"));
        Files.copy(modules.resolve("io.sshtunnel.itest.templates.jar"), dir.resolve("conf").resolve("io.sshtunnel.itest.templates.jar"));
        int http = Net.freePort();
        try (Assembly a = new Assembly(dir, http)) {
            a.start();
            Await.until(() -> "the console (see " + a.log() + ")", START,
                    () -> a.consolePassword() != null && a.http("/system/console/bundles") == 200);
            String log = a.logText();
            assertTrue(log, log.contains("ERROR the deploy folder " + dir.resolve("deploy") + " (a link to " + shared.toRealPath() + ")"));
            assertTrue(log, log.contains("rwxrwxrwx") && log.contains("chmod 700 " + shared.toRealPath()));
            assertTrue(log, log.contains("WARNING " + dir.resolve("conf").resolve("io.sshtunnel.itest.templates.jar") + " is not installed"));
            // FileInstall has read conf/ once this tunnel is there: the jar beside it was passed over
            a.drop("probe", "name = probe", "server.host = 127.0.0.1", "username = u", "password = p",
                    "mappings = L " + Net.freePort() + ":127.0.0.1:9");
            Path folder = dir;
            Await.until("the probe tunnel from conf/", START, () -> {
                String json = a.consoleGet("/system/console/sshtunnels.json");
                return json != null && json.contains("\"probe\"");
            });
            java.util.Set<String> refused = Await.until("the bundle list", START, () -> bundles(a));
            assertFalse("nothing from a folder others may write", refused.contains("io.sshtunnel.itest.directory"));
            assertFalse("nothing from conf/", refused.contains("io.sshtunnel.itest.templates"));
            assertFalse(Files.exists(folder.resolve("conf").resolve("org.apache.felix.fileinstall-sshtunnel-deploy.cfg")));
            a.stop();

            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
            a.start();
            java.util.Set<String> deployed = Await.until(() -> "the owner-only deploy folder's bundle (see " + a.log() + ")", START,
                    () -> {
                        java.util.Set<String> b = bundles(a);
                        return b != null && b.contains("io.sshtunnel.itest.directory") ? b : null;
                    });
            assertFalse("conf/ still installs nothing", deployed.contains("io.sshtunnel.itest.templates"));
        }
    }
}
