package io.sshtunnel.webconsole.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Web Console a password of its own at first start, instead of the well-known
 * admin/admin, when the framework property {@value #PROPERTY} is {@code generate} (the
 * assembly sets it, and locks the console with a password nobody knows until then). The password
 * goes where the console reads it: a configuration file of the console's ({@value #PID}) in
 * FileInstall's folder, readable by its owner only; the log says once where it is. An operator
 * who set a password (in that file, or in the console's Configuration Manager) is never
 * overridden. With the demo on, the password is the demo's known admin/admin, with a warning.
 */
@Component(immediate = true, service = {})
public final class ConsolePassword {
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePassword.class);
    static final String PROPERTY = "io.sshtunnel.webconsole.password";
    static final String PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    static final String DEMO_MARK = "# made for the demo";

    @Activate
    public ConsolePassword(BundleContext context, @Reference ConfigurationAdmin configAdmin) {
        if (!"generate".equals(context.getProperty(PROPERTY))) {
            return;
        }
        // FileInstall watches a comma-separated list; the first is the configuration folder (the
        // launcher appends its deploy folder)
        String dirs = context.getProperty("felix.fileinstall.dir");
        String dir = dirs == null || dirs.isBlank() ? null : dirs.split(",")[0].trim();
        boolean demo = Boolean.parseBoolean(context.getProperty("sshtunnel.demo"));
        try {
            Path file = provide(dir == null ? null : Path.of(dir), demo, hasPassword(configAdmin), new SecureRandom());
            if (file == null) {
                return;
            }
            if (demo) {
                LOG.warn("Web Console: user admin, password admin, for the demo only ({}); without -Dsshtunnel.demo=true the"
                        + " next start replaces it by a generated one", file);
            } else {
                LOG.info("Web Console: user admin, password generated at first start in {} (readable by this user only);"
                        + " change it there, or in the console's Configuration Manager (Apache Felix OSGi Management Console)", file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not give the Web Console a password: it stays locked; set one in the configuration {} (properties"
                    + " username and password)", PID, e);
        }
    }

    /** Whether Config Admin holds a password for the console that an operator set (e.g. in the Configuration Manager). */
    private static boolean hasPassword(ConfigurationAdmin configAdmin) throws IOException {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + PID + ")");
            return found != null && found.length > 0 && found[0].getProperties() != null
                    && found[0].getProperties().get("password") != null
                    && found[0].getProperties().get("felix.fileinstall.filename") == null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the console's configuration file when it is needed; returns it, or null when nothing was to do.
     *
     * @param dir             FileInstall's folder, or null when there is none
     * @param setInConsole    whether an operator set a password in Config Admin directly
     */
    static Path provide(Path dir, boolean demo, boolean setInConsole, SecureRandom random) throws IOException {
        if (dir == null) {
            LOG.warn("Web Console: no FileInstall folder (felix.fileinstall.dir) to put a generated password in; the console"
                    + " stays locked until you set username and password in the configuration {}", PID);
            return null;
        }
        Path file = dir.resolve(PID + ".cfg");
        if (Files.exists(dir.resolve(PID + ".config"))) {
            return null;
        }
        boolean exists = Files.exists(file);
        // the demo's file only while it still holds the demo's password: an operator may have set their own in it
        boolean madeForDemo = exists && Files.readString(file, StandardCharsets.ISO_8859_1).contains(DEMO_MARK)
                && "admin".equals(passwordIn(file));
        if (exists && (!madeForDemo || demo) || !exists && setInConsole) {
            return null; // the operator's choice, or the demo's file while the demo runs
        }
        String text;
        if (demo) {
            text = DEMO_MARK + ": anyone who knows the demo can log in; delete this file or set your own password\n"
                    + "username = admin\npassword = admin\n";
        } else {
            byte[] secret = new byte[18];
            random.nextBytes(secret);
            text = "# The Web Console's login, generated at first start. Change the password here (plain text, or\n"
                    + "# {sha-256}... as the console stores it); the console reads this file whenever it changes.\n"
                    + "username = admin\npassword = " + Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n";
        }
        writeOwnerOnly(file, text);
        return file;
    }

    private static String passwordIn(Path file) throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p.getProperty("password");
    }

    /** A new file with the text, readable by its owner only from the start, renamed into place in one step. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path aside = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(new SecureRandom().nextLong()));
        try {
            try {
                Files.createFile(aside, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(aside);
            }
            Files.writeString(aside, text, StandardCharsets.ISO_8859_1);
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(aside);
        }
    }
}
