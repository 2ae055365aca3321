package io.sshtunnel.core.config;

import static io.sshtunnel.api.TunnelConstants.PASSWORD;
import static io.sshtunnel.api.TunnelConstants.PRIVATE_KEY_PASSPHRASE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.Severity;

/**
 * Where a tunnel's password and passphrase are written down, and whether other users of this
 * machine may read them there: the {@code .cfg} or {@code .config} file the configuration came
 * from (when it holds the secret itself, not a placeholder), and the files of {@code secrets/}
 * that {@code $[secret:NAME]} placeholders name. Each such file that group or others may read is
 * a {@code SECRET_FILE_PERMISSIONS} warning on the secret's property. Reads permissions only,
 * never a file's content.
 */
public final class SecretFiles {
    /** Felix Config Admin's interpolation plugin: the folders {@code $[secret:NAME]} reads, comma-separated. */
    public static final String SECRETS_DIR_PROPERTY = "org.apache.felix.configadmin.plugin.interpolation.secretsdir";
    private static final Pattern SECRET = Pattern.compile("\\$\\[secret:([^;\\]]+)");
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private final List<Path> secretDirs;

    /** @param secretDirs the value of {@value #SECRETS_DIR_PROPERTY}, or null */
    public SecretFiles(String secretDirs) {
        List<Path> dirs = new ArrayList<>();
        if (secretDirs != null) {
            for (String d : secretDirs.split(",")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d.strip()).toAbsolutePath());
                }
            }
        }
        this.secretDirs = List.copyOf(dirs);
    }

    /**
     * @param arrived the properties as the component got them (they name the file FileInstall read)
     * @param stored the properties as stored, placeholders unresolved, or null when unknown
     */
    public List<Finding> check(Map<String, ?> arrived, Map<String, ?> stored) {
        if (stored == null) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        Path file = CfgFile.file(arrived.get(CfgFile.FILEINSTALL_FILENAME));
        for (String key : List.of(PASSWORD, PRIVATE_KEY_PASSPHRASE, io.sshtunnel.api.TunnelConstants.PROXY_PASSWORD)) {
            Object raw = stored.get(key);
            if (!(raw instanceof String) || ((String) raw).isEmpty()) {
                continue;
            }
            String value = (String) raw;
            Matcher m = SECRET.matcher(value);
            boolean placeholder = value.contains("$[");
            if (!placeholder && file != null) {
                exposed(file).ifPresent(perms -> out.add(warning(key, key + " is written in " + file + ", which other users of this"
                        + " machine may read (" + perms + "): chmod 600 " + file + ", or put the secret into secrets/ and write"
                        + " $[secret:NAME] instead")));
            }
            while (m.find()) {
                Path secret = secretFile(m.group(1).strip());
                if (secret != null) {
                    exposed(secret).ifPresent(perms -> out.add(warning(key, key + " comes from " + secret + ", which other users"
                            + " of this machine may read (" + perms + "): chmod 600 " + secret + " and chmod 700 its folder")));
                }
            }
        }
        return out;
    }

    private static Finding warning(String key, String message) {
        return new Finding(Severity.WARNING, FindingCodes.SECRET_FILE_PERMISSIONS, key, Finding.NO_MAPPING, message);
    }

    /** The first secrets folder's file of that name (as the plugin looks it up), or null. */
    private Path secretFile(String name) {
        for (Path dir : secretDirs) {
            Path f = dir.resolve(name).normalize();
            if (f.startsWith(dir) && Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    /** The file's permissions when group or others may read it. */
    private static java.util.Optional<String> exposed(Path file) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            return p.stream().anyMatch(OTHERS::contains) ? java.util.Optional.of(PosixFilePermissions.toString(p))
                    : java.util.Optional.empty();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return java.util.Optional.empty(); // gone, or not a POSIX file system: nothing to say
        }
    }
}
