package io.sshtunnel.core.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes a trusted fingerprint into the {@code .cfg} file a configuration came from, the way a
 * careful editor would: every other line (comments, order, secrets) kept byte for byte, the new
 * text written aside and renamed over the file in one step with the file's permissions, so that a
 * scan of the folder sees either the old file or the new one, never a half-written one.
 * (FileInstall's own write-back rewrites the file in place; a scan that reads it meanwhile sees it
 * empty and wipes the configuration and then the file.)
 */
public final class CfgFile {
    /** The property FileInstall records the source file in, as a URI. */
    public static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private static final Pattern KEY_LINE = Pattern.compile("^\\s*fingerprint\\s*[=:].*$");
    private static final Pattern EMPTY_VALUE = Pattern.compile("^\\s*fingerprint\\s*[=:]\\s*$");

    private CfgFile() {
    }

    /** The {@code .cfg} file behind a configuration, or null when it has none (made in the console, or a {@code .config}). */
    public static Path source(Object filenameProperty) {
        Path p = file(filenameProperty);
        return p != null && p.getFileName().toString().endsWith(".cfg") ? p : null;
    }

    /** The file ({@code .cfg} or {@code .config}) FileInstall made a configuration from, or null. */
    public static Path file(Object filenameProperty) {
        if (filenameProperty == null) {
            return null;
        }
        try {
            return Path.of(URI.create(filenameProperty.toString()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    /**
     * Adds {@code fingerprint = VALUE} to the file, or fills an empty {@code fingerprint =} line.
     * Returns false, changing nothing, when the file already pins a key (someone else's choice wins).
     */
    public static boolean pinFingerprint(Path file, String fingerprint, Charset charset) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, charset));
        boolean placed = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (KEY_LINE.matcher(line).matches()) {
                if (!EMPTY_VALUE.matcher(line).matches()) {
                    return false;
                }
                lines.set(i, "fingerprint = " + fingerprint);
                placed = true;
                break;
            }
        }
        if (!placed) {
            lines.add("fingerprint = " + fingerprint);
        }
        replace(file, String.join("\n", lines) + "\n", charset);
        return true;
    }

    /**
     * Writes {@code text} aside (a hidden file FileInstall does not take up) and renames it over the
     * file. The new file is created exclusively, with a name nobody can guess, and with the old
     * file's permissions from the start (it may hold a password), then given the old file's owner
     * and group; a file that is a symbolic link is replaced at its target, the link kept.
     */
    static void replace(Path file, String text, Charset charset) throws IOException {
        Path target = file.toRealPath();
        AsideFile.write(target, text, charset, AsideFile.posix(target));
    }

    /** FileInstall's encoding of {@code .cfg} files (its property {@code felix.fileinstall.configEncoding}). */
    public static Charset encoding(String property) {
        try {
            return property == null ? StandardCharsets.ISO_8859_1 : Charset.forName(property);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
