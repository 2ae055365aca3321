package io.sshtunnel.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * The one options helper every integration test shares: Felix with SCR, Config Admin, Metatype,
 * Event Admin, logging, MINA SSHD and our bundles, all from {@code target/container-bundles}.
 */
public final class TestOptions {
    private TestOptions() {
    }

    public static Option[] container(Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(frameworkProperty("felix.bootdelegation.implicit").value("false"));
        options.add(frameworkProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"));
        options.add(systemProperty("org.slf4j.simpleLogger.log.org.apache.sshd").value("warn"));
        options.add(systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"));
        // every container in this JVM gets its own BouncyCastle: none may register it JVM-wide
        options.add(systemProperty("org.apache.sshd.security.provider.BC.useNamed").value("false"));
        options.add(systemProperty("itest.work").value(System.getProperty("itest.work", "target/itest-work")));
        for (String key : new String[] { "itest.ssh.user", "itest.ssh.password", "itest.sshd" }) {
            String v = System.getProperty(key);
            if (v != null) {
                options.add(systemProperty(key).value(v));
            }
        }
        File dir = new File(System.getProperty("container.bundles", "target/container-bundles"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + dir.getAbsolutePath() + ": run the build through Maven");
        }
        Arrays.sort(jars);
        for (File jar : jars) {
            String n = jar.getName();
            // logging binds its provider once: start it first
            int level = n.startsWith("slf4j-") || n.startsWith("org.apache.aries.spifly") ? 1 : 5;
            options.add(bundle(jar.toURI().toString()).startLevel(level));
        }
        options.add(junitBundles());
        options.addAll(Arrays.asList(extra));
        return new Option[] { composite(options.toArray(new Option[0])) };
    }
}
