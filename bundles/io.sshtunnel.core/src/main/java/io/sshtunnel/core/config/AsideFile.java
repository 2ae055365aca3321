package io.sshtunnel.core.config;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Replaces a file's content the way a careful editor does: the new text goes into a hidden file
 * beside it (created exclusively, with a name nobody can guess, readable from the start by no more
 * than the result will be), which is then renamed over the file in one step, so that a reader sees
 * the old file or the new one, never a half-written one. The engine's files hold passwords and
 * pinned keys; every write of one goes through here.
 */
public final class AsideFile {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AsideFile() {
    }

    /**
     * Writes {@code text} into {@code target}.
     *
     * @param like the attributes the new file takes over (permissions, owner and group, as far as
     *             this process may give a file away), or null for a file readable by its owner only
     */
    public static void write(Path target, String text, Charset charset, PosixFileAttributes like) throws IOException {
        Set<PosixFilePermission> mode = like == null ? OWNER_ONLY : like.permissions();
        Path aside = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        try {
            try {
                Files.createFile(aside, PosixFilePermissions.asFileAttribute(mode));
                if (like != null) {
                    PosixFileAttributeView view = Files.getFileAttributeView(aside, PosixFileAttributeView.class);
                    try {
                        view.setGroup(like.group());
                        view.setOwner(like.owner());
                    } catch (IOException | UnsupportedOperationException e) {
                        // not allowed to give the file away (we are not root): it stays ours, as readable as before
                    }
                    // the umask may have taken bits away at creation; never more than the old file had
                    Files.setPosixFilePermissions(aside, mode);
                }
            } catch (UnsupportedOperationException e) {
                Files.createFile(aside); // not a POSIX file system
            }
            Files.writeString(aside, text, charset, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            try {
                Files.move(aside, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(aside, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** A file's POSIX attributes, or null on a file system without them. */
    public static PosixFileAttributes posix(Path file) throws IOException {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
