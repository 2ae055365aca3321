package io.sshtunnel.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away real application servers on loopback for the benchmark: a PostgreSQL cluster (for
 * {@code pgbench}) and an OpenLDAP {@code slapd} (for {@code ldapsearch}), each in a folder of
 * its own and stopped with {@link #close()}. Debian: {@code postgresql}, {@code slapd ldap-utils}.
 * PostgreSQL refuses to run as root: as root the cluster runs as the {@code postgres} user.
 */
final class AppServers {
    private AppServers() {
    }

    private static final Duration START = Duration.ofSeconds(60);
    /** The servers' one password, made at random for this run: only this process and its children know it. */
    static final String SECRET = new java.math.BigInteger(130, new java.security.SecureRandom()).toString(36);
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY_FILE = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    /**
     * A PostgreSQL cluster on 127.0.0.1, initialised for pgbench. Over TCP only with a password made
     * at random for this run (a superuser runs code: no other local user may log in); locally only
     * through a socket in a folder of its owner's alone.
     */
    static final class Postgres implements AutoCloseable {
        final int port;
        private final Process server;
        private final List<String> as;

        Postgres(Path dir, int port) throws Exception {
            Path bin = bin();
            if (bin == null) {
                throw new IllegalStateException("PostgreSQL is not installed (Debian: apt-get install postgresql)");
            }
            this.port = port;
            boolean root = "root".equals(System.getProperty("user.name"));
            this.as = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
            Path data = Files.createDirectories(dir).resolve("data");
            Path sockets = Files.createDirectories(dir.resolve("run"), OWNER_ONLY);
            Path pwfile = Files.writeString(Files.createFile(dir.resolve("pwfile"), OWNER_ONLY_FILE), SECRET);
            if (root) {
                run(List.of("chown", "-R", "postgres", dir.toString()));
            }
            exec(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth-local=peer",
                    "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8");
            List<String> cmd = new ArrayList<>(as);
            cmd.addAll(List.of(bin.resolve("postgres").toString(), "-D", data.toString(), "-p", Integer.toString(port),
                    "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + sockets, "-c", "fsync=off",
                    "-c", "max_connections=200"));
            this.server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
            Await.until("PostgreSQL accepting connections on " + port, START, () -> Net.accepts("127.0.0.1", port));
            Await.until("PostgreSQL ready", START, () -> {
                try {
                    return run(List.of(bin.resolve("pg_isready").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port))).exit() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            exec(bin.resolve("pgbench").toString(), "-i", "-s", "5", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                    "postgres");
        }

        /** pgbench's transactions per second through {@code port}: clients, seconds. */
        static double tps(int port, int clients, int seconds) throws Exception {
            Result r = run(Map.of("PGPASSWORD", SECRET), List.of(bin().resolve("pgbench").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
                    "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(seconds),
                    "-n", "postgres"));
            for (String line : r.out().split("\n")) {
                if (line.startsWith("tps = ")) {
                    return Double.parseDouble(line.substring(6).split("\\s+")[0]);
                }
            }
            throw new IllegalStateException("pgbench printed no tps: " + r.out());
        }

        private void exec(String... command) throws Exception {
            List<String> cmd = new ArrayList<>(as);
            cmd.addAll(List.of(command));
            Result r = run(Map.of("PGPASSWORD", SECRET), cmd);
            if (r.exit() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.out());
            }
        }

        static Path bin() throws IOException {
            Path root = Path.of("/usr/lib/postgresql");
            if (!Files.isDirectory(root)) {
                return null;
            }
            try (var versions = Files.list(root)) {
                return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres"))).sorted()
                        .reduce((a, b) -> b).orElse(null);
            }
        }

        @Override
        public void close() throws InterruptedException {
            server.destroy(); // SIGTERM: a smart shutdown
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** An OpenLDAP slapd with one suffix and a few users on 127.0.0.1. */
    static final class Slapd implements AutoCloseable {
        static final String BASE = "dc=example,dc=org";
        static final String ADMIN = "cn=admin," + BASE;
        final int port;
        private final Process server;

        /** The password for ldapadd and ldapsearch, in a file of this user's alone (not on a command line others see). */
        private static Path PASSWORD_FILE;

        Slapd(Path dir, int port) throws Exception {
            if (!Files.isExecutable(Path.of("/usr/sbin/slapd")) || !Files.isExecutable(Path.of("/usr/bin/ldapsearch"))) {
                throw new IllegalStateException("OpenLDAP is not installed (Debian: apt-get install slapd ldap-utils)");
            }
            this.port = port;
            Path data = Files.createDirectories(dir.resolve("db"));
            PASSWORD_FILE = Files.createFile(dir.resolve("password"), OWNER_ONLY_FILE);
            Path conf = Files.createFile(dir.resolve("slapd.conf"), OWNER_ONLY_FILE); // it holds the root password
            Files.writeString(PASSWORD_FILE, SECRET);
            Files.writeString(conf, String.join("\n",
                    "include /etc/ldap/schema/core.schema",
                    "include /etc/ldap/schema/cosine.schema",
                    "include /etc/ldap/schema/inetorgperson.schema",
                    "pidfile " + dir.resolve("slapd.pid"),
                    "modulepath /usr/lib/ldap",
                    "moduleload back_mdb",
                    "database mdb",
                    "maxsize 104857600",
                    "suffix \"" + BASE + "\"",
                    "rootdn \"" + ADMIN + "\"",
                    "rootpw " + SECRET,
                    "directory " + data,
                    "index uid eq",
                    ""), StandardCharsets.UTF_8);
            this.server = new ProcessBuilder("/usr/sbin/slapd", "-d", "0", "-f", conf.toString(), "-h", "ldap://127.0.0.1:" + port + "/")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("slapd.log").toFile()).start();
            Await.until("slapd accepting connections on " + port, START, () -> Net.accepts("127.0.0.1", port));
            StringBuilder ldif = new StringBuilder("dn: " + BASE + "\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: example\n\n"
                    + "dn: ou=people," + BASE + "\nobjectClass: organizationalUnit\nou: people\n\n");
            for (int i = 0; i < 100; i++) {
                ldif.append("dn: uid=user").append(i).append(",ou=people,").append(BASE).append("\nobjectClass: inetOrgPerson\nuid: user")
                        .append(i).append("\ncn: User ").append(i).append("\nsn: ").append(i).append("\nmail: user").append(i)
                        .append("@example.org\n\n");
            }
            Path file = dir.resolve("people.ldif");
            Files.writeString(file, ldif, StandardCharsets.UTF_8);
            Result r = run(List.of("ldapadd", "-x", "-H", "ldap://127.0.0.1:" + port, "-D", ADMIN, "-y", PASSWORD_FILE.toString(), "-f", file.toString()));
            if (r.exit() != 0) {
                throw new IllegalStateException("ldapadd failed: " + r.out());
            }
        }

        /** Seconds for {@code n} ldapsearch runs in a row through {@code port}, each a new connection, a bind and a lookup. */
        static double seconds(int port, int n) throws Exception {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                Result r = run(List.of("ldapsearch", "-x", "-LLL", "-H", "ldap://127.0.0.1:" + port, "-D", ADMIN, "-y", PASSWORD_FILE.toString(),
                        "-b", "ou=people," + BASE, "(uid=user" + (i % 100) + ")", "mail"));
                if (r.exit() != 0 || !r.out().contains("mail: user" + (i % 100) + "@example.org")) {
                    throw new IllegalStateException("ldapsearch through " + port + " failed: " + r.out());
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        }

        @Override
        public void close() throws InterruptedException {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A command's exit code and everything it printed. */
    record Result(int exit, String out) {
    }

    static Result run(List<String> command) throws Exception {
        return run(Map.of(), command);
    }

    static Result run(Map<String, String> env, List<String> command) throws Exception {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within 300 s");
        }
        return new Result(p.exitValue(), out);
    }
}
