package io.sshtunnel.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sshtunnel.api.Fingerprints;
import io.sshtunnel.core.config.AsideFile;

/**
 * The host keys this engine has trusted, by SSH server ({@code host:port}), kept apart from the
 * tunnel configurations, as OpenSSH keeps {@code known_hosts} apart from {@code ssh_config}. A
 * configuration that arrives without a fingerprint (a file edited or rewritten without the line
 * the engine wrote, a console edit, a restored copy) is held to the key seen before for its
 * server, never trusted anew: only a fingerprint written into the configuration on purpose
 * replaces a known one. The file is written whole, aside and renamed, readable by its owner only.
 */
final class KnownHosts {
    private static final Logger LOG = LoggerFactory.getLogger(KnownHosts.class);

    private final Path file;
    private final Map<String, String> pins = new TreeMap<>();

    /** @param file where to keep them, or null to keep them in memory only */
    KnownHosts(Path file) {
        this.file = file;
        if (file != null && Files.isRegularFile(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.strip().split("\\s+");
                    if (parts.length == 2 && !parts[0].startsWith("#") && Fingerprints.isValid(parts[1])) {
                        pins.put(parts[0], parts[1]);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Could not read the known host keys from {}: every server without a pinned fingerprint in its"
                        + " configuration is trusted on first use again", file, e);
            }
        }
    }

    static String server(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host).toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The fingerprint trusted before for this server, or null. */
    synchronized String get(String host, int port) {
        return host == null ? null : pins.get(server(host, port));
    }

    /**
     * Remembers the server's key and returns the one now known: a key pinned in a configuration
     * ({@code pinned}) replaces the old one; a key trusted on first use only fills an empty place,
     * so that of two tunnels trusting at once, the first one's key holds.
     */
    synchronized String put(String host, int port, String fingerprint, boolean pinned) {
        if (host == null || !Fingerprints.isValid(fingerprint)) {
            return fingerprint;
        }
        String key = server(host, port);
        String known = pins.get(key);
        if (fingerprint.equals(known) || known != null && !pinned) {
            return known;
        }
        pins.put(key, fingerprint);
        save();
        return fingerprint;
    }

    private void save() {
        if (file == null) {
            return;
        }
        StringBuilder text = new StringBuilder("# SSH servers' host keys trusted by the sshtunnel engine: host:port SHA256:...\n");
        pins.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        try {
            write(file, text.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not save the known host keys in {} (they are kept for as long as this process runs)", file, e);
        }
    }

    /** Writes a new file, created exclusively and readable by its owner only, then renames it over the old one. */
    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        AsideFile.write(file, text, StandardCharsets.UTF_8, null);
    }
}
