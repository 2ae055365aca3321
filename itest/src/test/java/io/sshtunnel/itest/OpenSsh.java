package io.sshtunnel.itest;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1, started by the test with its own generated
 * configuration, host key and authorized keys, in a folder of its own. Stopping it kills the
 * daemon and every session process, as a crash would.
 */
public final class OpenSsh implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String sshd;
    private Process process;

    private OpenSsh(Path dir, int port, String sshd) {
        this.dir = dir;
        this.port = port;
        this.sshd = sshd;
    }

    /** The sshd binary, or {@code null} when OpenSSH's server is not installed here. */
    public static String binary() {
        String configured = System.getProperty("itest.sshd");
        for (String candidate : new String[] { configured, "/usr/sbin/sshd", "/usr/local/sbin/sshd", "/usr/bin/sshd" }) {
            if (candidate != null && !candidate.startsWith("${") && new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return null;
    }

    /** Generates keys and configuration under {@code work} and starts sshd. */
    public static OpenSsh start(Path work, String extraConfig) throws Exception {
        String sshd = binary();
        if (sshd == null) {
            throw new IllegalStateException("OpenSSH sshd not found: install openssh-server (CI does)");
        }
        Path dir = Files.createDirectories(work).toAbsolutePath();
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "itest-client", "-f", dir.resolve("client_ed25519").toString());
        run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "pem-passphrase", "-C", "itest-pem",
                "-f", dir.resolve("client_rsa_pem").toString());
        List<String> keys = new ArrayList<>();
        keys.add(Files.readString(dir.resolve("client_ed25519.pub")).trim());
        keys.add(Files.readString(dir.resolve("client_rsa_pem.pub")).trim());
        Files.write(dir.resolve("authorized_keys"), keys, StandardCharsets.US_ASCII);
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // privilege separation directory
        }
        OpenSsh s = new OpenSsh(dir, Net.freePort(), sshd);
        s.hostKeyForItsPort();
        Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + s.port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "PermitRootLogin yes",
                "AllowTcpForwarding yes",
                "GatewayPorts clientspecified",
                "MaxAuthTries 6",
                "LogLevel DEBUG",
                extraConfig == null ? "" : extraConfig,
                ""));
        s.start();
        return s;
    }

    /** (Re)starts the daemon on the same port with the same keys. */
    public synchronized void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(sshd, "-D", "-e", "-f", dir.resolve("sshd_config").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile()));
        process = pb.start();
        Await.until("sshd listening on 127.0.0.1:" + port + " (see " + dir.resolve("sshd.log") + ")", Duration.ofSeconds(20),
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("sshd exited with " + process.exitValue() + ": " + log());
                    }
                    return Net.accepts("127.0.0.1", port);
                });
    }

    /** Kills the daemon and all its session processes at once (SIGKILL), freeing every forwarded port. */
    public synchronized void kill() throws Exception {
        if (process != null) {
            List<ProcessHandle> all = new ArrayList<>();
            process.descendants().forEach(all::add);
            all.add(process.toHandle());
            for (ProcessHandle h : all) {
                h.destroyForcibly();
            }
            for (ProcessHandle h : all) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** Kills the daemon, gives it a new host key (as a reinstalled server has) and starts it again. */
    public synchronized void rotateHostKey() throws Exception {
        kill();
        Files.deleteIfExists(dir.resolve("host_ed25519"));
        Files.deleteIfExists(dir.resolve("host_ed25519.pub"));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "itest-host-2", "-f", dir.resolve("host_ed25519").toString());
        rememberHostKey();
        start();
    }

    /** How many lines of the log so far: a mark to count from later. */
    public long logLines() {
        return log().lines().count();
    }

    /** How often "pattern" appears in the log after line {@code from}. */
    public long countSince(long from, String pattern) {
        return log().lines().skip(from).filter(l -> l.contains(pattern)).count();
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    public Path pemKey() {
        return dir.resolve("client_rsa_pem");
    }

    public static String pemPassphrase() {
        return "pem-passphrase";
    }

    /**
     * One host key per port for the whole test run, as a real server keeps its key: the engine
     * remembers the key it trusted for each host:port, so a new server that happened to get an
     * earlier one's port with another key would look like a man in the middle.
     */
    private static final java.util.Map<Integer, byte[][]> HOST_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    private void hostKeyForItsPort() throws Exception {
        byte[][] known = HOST_KEYS.get(port);
        Path key = dir.resolve("host_ed25519");
        if (known != null) {
            Files.write(key, known[0]);
            Files.write(dir.resolve("host_ed25519.pub"), known[1]);
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } else {
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "itest-host", "-f", key.toString());
            rememberHostKey();
        }
    }

    private void rememberHostKey() throws IOException {
        HOST_KEYS.put(port, new byte[][] { Files.readAllBytes(dir.resolve("host_ed25519")),
                Files.readAllBytes(dir.resolve("host_ed25519.pub")) });
    }

    /** The host key's fingerprint exactly as {@code ssh-keygen -lf} prints it. */
    public String fingerprint() throws Exception {
        String out = run("ssh-keygen", "-lf", dir.resolve("host_ed25519.pub").toString());
        return out.trim().split("\\s+")[1];
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** How often the log says "pattern" (e.g. "Failed password"). */
    public long count(String pattern) {
        return log().lines().filter(l -> l.contains(pattern)).count();
    }

    @Override
    public void close() throws Exception {
        kill();
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
