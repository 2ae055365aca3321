package io.sshtunnel.itest;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The product as a user runs it: {@code java -jar features/target/sshtunnel.jar} in a folder of
 * its own, with the Web Console port, the FileInstall folder and the storage given on the command
 * line, and tunnels made by dropping {@code .cfg} files.
 */
public final class Assembly implements AutoCloseable {
    private final Path work;
    private final int httpPort;
    private final Path conf;
    private final Path storage;
    private final List<String> extraArgs;
    private Path javaHome = Path.of(System.getProperty("java.home"));
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private Process process;

    public Assembly(Path work, int httpPort, String... extraArgs) throws IOException {
        this.work = Files.createDirectories(work);
        this.httpPort = httpPort;
        this.conf = Files.createDirectories(work.resolve("conf"));
        this.storage = work.resolve("storage");
        this.extraArgs = List.of(extraArgs);
    }

    public static File jar() {
        return new File(System.getProperty("assembly.jar", "../features/target/sshtunnel.jar"));
    }

    public void start() throws IOException {
        if (!jar().isFile()) {
            throw new IllegalStateException("assembly " + jar() + " is missing: build it with mvn install");
        }
        List<String> cmd = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
                "-Dorg.osgi.service.http.port=" + httpPort,
                "-Dfelix.fileinstall.dir=" + conf,
                "-Dorg.osgi.framework.storage=" + storage));
        cmd.addAll(extraArgs);
        // extra JVM options for every assembly a benchmark starts (-Dbench.jvmArgs="-Xmx256m ...")
        String more = System.getProperty("assembly.jvmArgs", "").trim();
        if (!more.isEmpty()) {
            cmd.addAll(List.of(more.split("\\s+")));
        }
        cmd.add("-jar");
        cmd.add(jar().getAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** Stops the JVM (SIGTERM, then SIGKILL after 20 s). */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /**
     * Hot-deploys the test module {@code io.sshtunnel.itest.directory} (from {@code test.modules}) into deploy/
     * with its configuration: its tunnel "directory" through {@code sshd} leads {@code port} to
     * 127.0.0.1:{@code target}.
     */
    public void deployDirectoryModule(OpenSsh sshd, int port, int target) throws IOException {
        Path modules = Path.of(System.getProperty("test.modules", "target/test-modules"));
        Files.copy(modules.resolve("io.sshtunnel.itest.directory.jar"), deploy().resolve("io.sshtunnel.itest.directory.jar"));
        Path tmp = conf.resolveSibling("directory.cfg.tmp");
        Files.writeString(tmp, String.join("\n", "tunnel = directory", "server.port = " + sshd.port(),
                "username = " + System.getProperty("user.name"), "private.key.path = " + sshd.clientKey(),
                "mapping = L " + port + ":127.0.0.1:" + target + " # directory") + "\n");
        Files.move(tmp, conf.resolve("io.sshtunnel.itest.directory.cfg"));
    }

    /** Sets an environment variable of the assembly's process. */
    public Assembly withEnv(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The folder the assembly runs in (its working directory: conf/, secrets/). */
    public Path work() {
        return work;
    }

    /** Runs the assembly on this JDK instead of the tests' own. */
    public Assembly onJava(Path home) {
        this.javaHome = home;
        return this;
    }

    /** SIGTERM, as systemd or a container runtime stops a service; returns the exit code (-1: still running after 30 s, then killed). */
    public int terminate() throws InterruptedException {
        Process p = process;
        process = null;
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            return -1;
        }
        return p.exitValue();
    }

    /** Kills the JVM at once (SIGKILL): no component is deactivated, nothing is flushed. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * The launcher's folder of this run in the temporary folder (where it unpacks the framework),
     * found by the process number it writes there; null while there is none.
     */
    public Path runFolder() {
        String pid = String.valueOf(pid());
        try (var dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("sshtunnel-launcher-")).filter(d -> {
                try {
                    return pid.equals(Files.readString(d.resolve("pid")).trim());
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    public Path conf() {
        return conf;
    }

    public Path storage() {
        return storage;
    }

    public Path log() {
        return work.resolve("felix.log");
    }

    public String logText() throws IOException {
        return Files.isRegularFile(log()) ? Files.readString(log()) : "";
    }

    /** The folder of hot-deployed bundles (the launcher's default, {@code deploy/} in the working directory). */
    public Path deploy() {
        return work.resolve("deploy");
    }

    /** Drops a bundle into {@link #deploy()} in one step (written aside, then moved), as a user would. */
    public Path hotDeploy(Path bundle) throws IOException {
        Path tmp = work.resolve(bundle.getFileName() + ".tmp");
        Files.copy(bundle, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, deploy().resolve(bundle.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Drops {@code io.sshtunnel.tunnel-NAME.cfg} into the watched folder in one step (written aside, then moved). */
    public Path drop(String name, String... lines) throws IOException {
        Path tmp = work.resolve(name + ".cfg.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Path cfg = conf.resolve("io.sshtunnel.tunnel-" + name + ".cfg");
        Files.move(tmp, cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return cfg;
    }

    /**
     * Saves a configuration the way the Web Console's configuration form does (with the generated password):
     * a new factory configuration when {@code pid} is null, else an update of {@code pid}.
     * Returns the PID once Config Admin has accepted it; fails on any other answer.
     */
    public String saveInConsole(String factoryPid, String pid, java.util.Map<String, List<String>> properties) throws IOException {
        String target = pid == null ? "__Temporary PID replaced by real PID upon save__" : pid;
        StringBuilder form = new StringBuilder("apply=true&factoryPid=").append(encode(factoryPid))
                .append("&propertylist=").append(encode(String.join(",", properties.keySet())));
        properties.forEach((k, values) -> values.forEach(v -> form.append('&').append(encode(k)).append('=').append(encode(v))));
        HttpURLConnection c = open("/system/console/configMgr/" + encode(target).replace("+", "%20"));
        c.setInstanceFollowRedirects(false);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        c.getOutputStream().write(form.toString().getBytes(StandardCharsets.UTF_8));
        int code = c.getResponseCode();
        String location = c.getHeaderField("Location");
        c.disconnect();
        if (code != 302 || location == null) {
            throw new IOException("the console answered " + code + " to saving " + target);
        }
        return java.net.URLDecoder.decode(location.substring(location.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    /** The Web Console's JSON view of one configuration, or null when nothing answers. */
    public String consoleJson(String pid) {
        return consoleGet("/system/console/configMgr/" + encode(pid) + ".json");
    }

    /** The body of a console page (with the generated password), or null when nothing answers. */
    public String consoleGet(String path) {
        try {
            HttpURLConnection c = open(path);
            try (java.io.InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** As {@link #consoleGet(String)}, asking for the language given ({@code Accept-Language}). */
    public String consoleGet(String path, String language) {
        try {
            HttpURLConnection c = open(path);
            c.setRequestProperty("Accept-Language", language);
            try (java.io.InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The console's configuration file, where the assembly puts the password it generates at first start. */
    public Path consoleConfig() {
        return conf.resolve("org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg");
    }

    /** The console's password as the assembly generated it, or null before it did. */
    public String consolePassword() {
        try (java.io.InputStream in = Files.newInputStream(consoleConfig())) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("password");
        } catch (IOException e) {
            return null;
        }
    }

    private HttpURLConnection open(String path) throws IOException {
        return open(path, consolePassword());
    }

    private HttpURLConnection open(String path, String password) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort + path).openConnection();
        c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + (password == null ? "" : password)).getBytes(StandardCharsets.US_ASCII)));
        c.setConnectTimeout(1000);
        c.setReadTimeout(5000);
        return c;
    }

    /** The HTTP status of a page at another local port (a tunnel's), as admin with this password, or -1 when nothing answers. */
    public static int httpAt(int port, String path, String password) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
            c.setRequestProperty("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("admin:" + password).getBytes(StandardCharsets.US_ASCII)));
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The HTTP status of a Web Console page with the user admin and the given password, or -1 when nothing answers. */
    public int http(String path, String password) {
        try {
            HttpURLConnection c = open(path, password);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * POSTs a body to a console page as a browser would on behalf of the page at {@code origin}
     * (null: no Origin header, as a program sends it), with the generated password. Returns the status.
     */
    public int post(String path, String contentType, byte[] body, String origin) throws IOException {
        // HttpURLConnection drops an Origin header silently; the java.net.http client sends it
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(java.time.Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + consolePassword()).getBytes(StandardCharsets.US_ASCII)))
                .header("Content-Type", contentType)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The body of a page outside the console (no password), or null when it does not answer 200. */
    public String get(String path) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path)).timeout(java.time.Duration.ofSeconds(10))
                    .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A console answer: status and body. */
    public record Reply(int status, String body) {
    }

    /** POSTs a form to a console page as a program would (no Origin), with the generated password. */
    public Reply postForm(String path, String form) throws IOException {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(java.time.Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + consolePassword()).getBytes(StandardCharsets.US_ASCII)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The form the Configuration Manager posts to save a configuration. */
    public static String configForm(String factoryPid, java.util.Map<String, List<String>> properties) {
        StringBuilder form = new StringBuilder("apply=true&factoryPid=").append(encode(factoryPid))
                .append("&propertylist=").append(encode(String.join(",", properties.keySet())));
        properties.forEach((k, values) -> values.forEach(v -> form.append('&').append(encode(k)).append('=').append(encode(v))));
        return form.toString();
    }

    /** This console's own origin, as its pages send it. */
    public String origin() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The HTTP status of a Web Console page (with the generated password), or -1 when nothing answers. */
    public int http(String path) {
        try {
            HttpURLConnection c = open(path);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }
}
