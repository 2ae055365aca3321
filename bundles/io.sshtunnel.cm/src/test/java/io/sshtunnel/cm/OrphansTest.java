package io.sshtunnel.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.cm.file.FilePersistenceManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The states Felix's FilePersistenceManager leaves when the JVM dies inside store(), made with the real class. */
class OrphansTest {
    private static final String PID = "io.sshtunnel.tunnel~customer";

    @TempDir
    Path root;
    private FilePersistenceManager felix;
    private Path file;

    @BeforeEach
    void storeOne() throws IOException {
        felix = new FilePersistenceManager(root.toString());
        felix.store(PID, config("version 1"));
        try (var s = Files.walk(root)) {
            file = s.filter(p -> p.getFileName().toString().endsWith(".config")).findFirst().orElseThrow();
        }
    }

    private static Dictionary<String, Object> config(String label) {
        Hashtable<String, Object> d = new Hashtable<>();
        d.put("service.pid", PID);
        d.put("service.factoryPid", "io.sshtunnel.tunnel");
        d.put("name", "customer");
        d.put("mappings", new String[] {"L 10389:dc1:389 # " + label});
        return d;
    }

    private static String label(Dictionary<?, ?> d) {
        return ((String[]) d.get("mappings"))[0];
    }

    /** Felix's own temporary file for {@code file}: its name, an unsigned random number, ".tmp". */
    private Path temporary(String digits) {
        return file.resolveSibling(file.getFileName() + digits + ".tmp");
    }

    @Test
    void killedBetweenDeleteAndRenameTheSavedVersionIsRestored() throws IOException {
        // what store() had written when the kill came: the new version whole, the old file deleted
        new FilePersistenceManager(root.resolve("elsewhere").toString()).store(PID, config("version 2"));
        Path written;
        try (var s = Files.walk(root.resolve("elsewhere"))) {
            written = s.filter(p -> p.getFileName().toString().endsWith(".config")).findFirst().orElseThrow();
        }
        Files.move(written, temporary("8812303811120989123"));
        Files.delete(file);
        assertFalse(new FilePersistenceManager(root.toString()).exists(PID), "without the repair Felix has lost it");

        List<Orphans.Repair> repairs = Orphans.repair(root, CrashSafeStorage::readable);

        assertEquals(1, repairs.size(), repairs.toString());
        assertEquals(Orphans.Kind.RESTORED, repairs.get(0).kind());
        assertEquals("L 10389:dc1:389 # version 2", label(new FilePersistenceManager(root.toString()).load(PID)));
        assertFalse(Files.exists(temporary("8812303811120989123")));
    }

    @Test
    void killedWhileWritingTheTemporaryFileTheOldVersionStaysAndTheFragmentGoes() throws IOException {
        byte[] whole = Files.readAllBytes(file);
        Files.write(temporary("17"), java.util.Arrays.copyOf(whole, whole.length / 2));

        List<Orphans.Repair> repairs = Orphans.repair(root, CrashSafeStorage::readable);

        assertEquals(Orphans.Kind.REMOVED, repairs.get(0).kind());
        assertFalse(Files.exists(temporary("17")));
        assertEquals("L 10389:dc1:389 # version 1", label(felix.load(PID)));
    }

    @Test
    void ofSeveralWholeTemporaryFilesTheNewestIsRestored() throws IOException {
        Files.copy(file, temporary("1"));
        Files.setLastModifiedTime(temporary("1"), FileTime.fromMillis(1_000_000));
        felix.store(PID, config("version 2"));
        Files.copy(file, temporary("2"));
        Files.delete(file);

        Orphans.repair(root, CrashSafeStorage::readable);

        assertEquals("L 10389:dc1:389 # version 2", label(felix.load(PID)));
        assertFalse(Files.exists(temporary("1")));
    }

    @Test
    void anUnreadableOrphanIsKeptAndReported() throws IOException {
        Files.writeString(temporary("5"), "garbage = [");
        Files.delete(file);

        List<Orphans.Repair> repairs = Orphans.repair(root, CrashSafeStorage::readable);

        assertEquals(Orphans.Kind.UNREADABLE, repairs.get(0).kind());
        assertTrue(Files.exists(temporary("5")));
        assertTrue(repairs.get(0).toString().contains("cannot be read"));
    }

    @Test
    void aStorageWithoutLeftoversIsLeftAlone() throws IOException {
        assertTrue(Orphans.repair(root, CrashSafeStorage::readable).isEmpty());
        assertTrue(Orphans.repair(root.resolve("absent"), CrashSafeStorage::readable).isEmpty());
        assertEquals("L 10389:dc1:389 # version 1", label(felix.load(PID)));
    }
}
