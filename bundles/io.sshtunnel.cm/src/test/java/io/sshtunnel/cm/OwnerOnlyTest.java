package io.sshtunnel.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Hashtable;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.felix.cm.file.FilePersistenceManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
    @TempDir
    Path dir;

    /** Every file and folder below root with its mode, symbolic links not followed. */
    static Map<String, String> modes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    out.put(root.relativize(p).toString(),
                            PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
                }
            }
        }
        return out;
    }

    @Test
    void everyFolderAndFileBecomesTheOwnersOnlyAndLinksAreLeftAlone() throws Exception {
        Path root = Files.createDirectories(dir.resolve("config/io/sshtunnel"));
        Path file = Files.writeString(root.resolve("tunnel.config"), "password=\"secret\"");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path outside = Files.writeString(dir.resolve("outside.txt"), "not ours");
        Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(root.resolve("link"), outside);

        OwnerOnly.restrict(dir.resolve("config"));

        assertEquals(Map.of("", "rwx------", "io", "rwx------", "io/sshtunnel", "rwx------",
                "io/sshtunnel/tunnel.config", "rw-------"), modes(dir.resolve("config")));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(outside)), "a link's target is not ours");
    }

    @Test
    void configurationsSavedThroughTheStorageAreReadableByTheOwnerOnly() throws Exception {
        Path location = dir.resolve("config");
        CrashSafeStorage storage = new CrashSafeStorage(new FilePersistenceManager(location.toString()));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.pid", "io.sshtunnel.tunnel~customer-ad");
        props.put("password", "Winter2025!");
        storage.store("io.sshtunnel.tunnel~customer-ad", props);
        storage.store("org.apache.felix.webconsole.internal.servlet.OsgiManager", new Hashtable<>(Map.of("service.pid",
                "org.apache.felix.webconsole.internal.servlet.OsgiManager", "password", "x")));

        Map<String, String> modes = modes(location);
        assertEquals(true, modes.size() >= 3, modes.toString());
        modes.forEach((path, mode) -> assertEquals(Files.isDirectory(location.resolve(path)) ? "rwx------" : "rw-------", mode,
                path + " in " + modes));
    }
}
