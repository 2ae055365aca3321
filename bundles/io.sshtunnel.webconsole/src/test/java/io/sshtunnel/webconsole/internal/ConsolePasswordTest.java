package io.sshtunnel.webconsole.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolePasswordTest {
    @TempDir
    Path conf;

    static Properties read(Path file) throws Exception {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    @Test
    void theFirstStartGeneratesAPasswordOnlyTheOwnerCanRead() throws Exception {
        Path file = ConsolePassword.provide(conf, false, false, new SecureRandom());

        assertEquals(conf.resolve(ConsolePassword.PID + ".cfg"), file);
        Properties p = read(file);
        assertEquals("admin", p.getProperty("username"));
        assertNotEquals("admin", p.getProperty("password"));
        assertTrue(p.getProperty("password").length() >= 24, p.getProperty("password"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(conf)) {
            assertEquals(1, files.count(), "nothing left aside");
        }
    }

    @Test
    void twoInstallationsGetDifferentPasswords() throws Exception {
        Path other = Files.createDirectory(conf.resolve("other"));
        String a = read(ConsolePassword.provide(conf, false, false, new SecureRandom())).getProperty("password");
        String b = read(ConsolePassword.provide(other, false, false, new SecureRandom())).getProperty("password");
        assertNotEquals(a, b);
    }

    @Test
    void anOperatorsPasswordIsNeverReplaced() throws Exception {
        Path file = Files.writeString(conf.resolve(ConsolePassword.PID + ".cfg"), "username = ops\npassword = mine\n");
        assertNull(ConsolePassword.provide(conf, false, false, new SecureRandom()));
        assertEquals("username = ops\npassword = mine\n", Files.readString(file));

        Path empty = Files.createDirectory(conf.resolve("console-set"));
        assertNull(ConsolePassword.provide(empty, false, true, new SecureRandom()), "set in the Configuration Manager");
        try (var files = Files.list(empty)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theDemoKeepsItsKnownPasswordOnlyWhileTheDemoRuns() throws Exception {
        Path file = ConsolePassword.provide(conf, true, false, new SecureRandom());
        assertEquals("admin", read(file).getProperty("password"));
        assertTrue(Files.readString(file, StandardCharsets.ISO_8859_1).contains(ConsolePassword.DEMO_MARK));
        assertNull(ConsolePassword.provide(conf, true, false, new SecureRandom()), "the demo again: left as it is");

        Path replaced = ConsolePassword.provide(conf, false, false, new SecureRandom());
        assertEquals(file, replaced);
        assertNotEquals("admin", read(replaced).getProperty("password"), "without the demo the known password goes");
    }

    @Test
    void aPasswordSetInTheDemosFileIsTheOperatorsAndStays() throws Exception {
        Path file = ConsolePassword.provide(conf, true, false, new SecureRandom());
        Files.writeString(file, Files.readString(file).replace("password = admin", "password = chosen-by-me"));

        assertNull(ConsolePassword.provide(conf, false, false, new SecureRandom()));
        assertEquals("chosen-by-me", read(file).getProperty("password"));
    }

    @Test
    void withoutAFileInstallFolderTheConsoleStaysLocked() throws Exception {
        assertNull(ConsolePassword.provide(null, false, false, new SecureRandom()));
    }
}
