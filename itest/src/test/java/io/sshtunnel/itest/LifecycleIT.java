package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelState;

/** Enabling and disabling, the core bundle stopped and started, and the Metatype description. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LifecycleIT extends MinaTunnelTestSupport {
    @Inject
    private MetaTypeService metaType;

    /** What the engine's threads left are doing, for a failure message. */
    private static String engineThreadStacks() {
        StringBuilder b = new StringBuilder("engine threads gone; left:");
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (engineThreads().contains(t.getName())) {
                b.append("\n").append(t.getName()).append(' ').append(t.getState());
                for (StackTraceElement e : stack) {
                    b.append("\n    at ").append(e);
                }
            }
        });
        return b.toString();
    }

    private static Set<String> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("sshtunnel-") || n.startsWith("sshd-SshClient")).collect(Collectors.toSet());
    }

    @Test
    public void disablingTakesTheTunnelDownAndKeepsItsConfiguration() throws Exception {
        int l = Net.freePort();
        Hashtable<String, Object> p = tunnel("toggle", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port());
        org.osgi.service.cm.Configuration c = create("toggle", p);
        awaitState("toggle", TunnelState.UP);
        p.put(ENABLED, false);
        c.update(p);
        awaitState("toggle", TunnelState.DISABLED);
        Await.until("listener closed", TIMEOUT, () -> !Net.accepts("127.0.0.1", l));
        Await.until("services gone", TIMEOUT, () -> tunnelService("toggle") == null && endpoints("toggle").isEmpty());
        assertEquals(Boolean.FALSE, configProperties(c).get(ENABLED));
        p.put(ENABLED, "true");
        c.update(p);
        awaitState("toggle", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", l, 1000);
    }

    @Test
    public void stoppingTheCoreBundleReleasesEverythingAndStartingItRestoresTheTunnels() throws Exception {
        int l = Net.freePort();
        create("lifecycle", tunnel("lifecycle", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + l + ":localhost:" + echo.port(), "R " + Net.freePort() + ":localhost:" + echo.port()));
        awaitState("lifecycle", TunnelState.UP);
        assertTrue(engineThreads().stream().anyMatch(n -> n.startsWith("sshtunnel-")));

        for (int round = 0; round < 3; round++) {
            core().stop();
            try {
                Await.until("listener closed", TIMEOUT, () -> !Net.accepts("127.0.0.1", l));
                assertTrue("no service left", tunnelService("lifecycle") == null && endpoints("lifecycle").isEmpty());
                Await.until(LifecycleIT::engineThreadStacks, TIMEOUT, () -> engineThreads().isEmpty());
            } finally {
                core().start();
            }
            TunnelRuntime again = Await.until("runtime back", TIMEOUT, this::currentRuntime);
            Await.until("tunnel UP after restart " + round, TIMEOUT, () -> again.tunnel("lifecycle")
                    .filter(s -> s.state() == TunnelState.UP).isPresent());
            Net.assertEchoes("127.0.0.1", l, 1000);
        }
    }

    @Test
    public void metatypeDescribesTheFactoryForTheConsole() {
        MetaTypeInformation info = metaType.getMetaTypeInformation(core());
        assertTrue(Arrays.asList(info.getFactoryPids()).contains(FACTORY_PID));
        ObjectClassDefinition ocd = info.getObjectClassDefinition(FACTORY_PID, null);
        List<String> ids = Arrays.stream(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).map(AttributeDefinition::getID)
                .collect(Collectors.toList());
        assertTrue(ids.toString(), ids.containsAll(List.of(NAME, ENABLED, OWNER, SERVER_HOST, SERVER_PORT, USERNAME, PASSWORD,
                PRIVATE_KEY_PATH, PRIVATE_KEY_PASSPHRASE, FINGERPRINT, MAPPINGS, KEEPALIVE_SECONDS, RECONNECT_MAX_SECONDS,
                CONNECT_TIMEOUT_SECONDS)));
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            assertNotNull(ad.getID() + " has a name", ad.getName());
            if (ad.getID().equals(PASSWORD) || ad.getID().equals(PRIVATE_KEY_PASSPHRASE)) {
                assertEquals(ad.getID() + " is masked", AttributeDefinition.PASSWORD, ad.getType());
            }
        }
    }
}
