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
        List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Dorg.osgi.service.http.port=" + httpPort,
                "-Dfelix.fileinstall.dir=" + conf,
                "-Dorg.osgi.framework.storage=" + storage,
                "-Dgosh.args=--nointeractive"));
        cmd.addAll(extraArgs);
        cmd.add("-jar");
        cmd.add(jar().getAbsolutePath());
        process = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
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

    /** Drops {@code io.sshtunnel.tunnel-NAME.cfg} into the watched folder in one step (written aside, then moved). */
    public Path drop(String name, String... lines) throws IOException {
        Path tmp = work.resolve(name + ".cfg.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Path cfg = conf.resolve("io.sshtunnel.tunnel-" + name + ".cfg");
        Files.move(tmp, cfg, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return cfg;
    }

    /** The HTTP status of a Web Console page (admin/admin), or -1 when nothing answers. */
    public int http(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort + path).openConnection();
            c.setRequestProperty("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.US_ASCII)));
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            int code = c.getResponseCode();
            c.disconnect();
            return code;
        } catch (IOException e) {
            return -1;
        }
    }
}
