package io.sshtunnel.cm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Makes a folder and everything in it readable by its owner only: folders {@code rwx------},
 * files {@code rw-------}, whatever the umask. The stored configurations hold passwords, and Felix
 * writes them (and their temporary files) with the process's default permissions; with every
 * folder closed to others, not even a temporary file is readable by another user in between.
 * Symbolic links are left alone. On a file system without POSIX permissions it does nothing.
 */
final class OwnerOnly {
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Returns how many modes it changed. */
    static int restrict(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                || !root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return 0;
        }
        int changed = 0;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                changed += set(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a file deleted meanwhile (a save in progress) is not worth more than the others
        }
        return changed;
    }

    private static int set(Path p) throws IOException {
        Set<PosixFilePermission> wanted;
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            wanted = FOLDER;
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            wanted = FILE;
        } else {
            return 0;
        }
        try {
            if (Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(wanted)) {
                return 0;
            }
            Files.setPosixFilePermissions(p, wanted);
            return 1;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0; // a temporary file renamed meanwhile
        }
    }
}
