package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TunnelAdmin;
import io.sshtunnel.api.TunnelAdminException;
import io.sshtunnel.api.TunnelRequest;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/**
 * Two module bundles, "directory" (only L, no gateway) and "monitoring" (only R), each owning a
 * tunnel to the in-process SSH server through its own {@link TunnelAdmin}: they see each other's
 * tunnels, cannot change them, are held to their policies, and their tunnels live with them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OwnershipIT extends MinaTunnelTestSupport {
    private static final String DIRECTORY = "io.sshtunnel.itest.directory";
    private static final String MONITORING = "io.sshtunnel.itest.monitoring";

    private Bundle directory;
    private Bundle monitoring;
    private final List<Configuration> moduleConfigs = new ArrayList<>();
    private int directoryPort;
    private int monitoringPort;

    @Before
    public void installModules() throws Exception {
        directory = install(DIRECTORY);
        monitoring = install(MONITORING);
        directoryPort = Net.freePort();
        monitoringPort = Net.freePort();
        configure(DIRECTORY, "L " + directoryPort + ":localhost:" + echo.port() + " # directory");
        configure(MONITORING, "R " + monitoringPort + ":localhost:" + echo.port() + " # metrics");
        awaitState("directory", TunnelState.UP);
        awaitState("monitoring", TunnelState.UP);
    }

    @After
    public void removeModules() throws Exception {
        for (Configuration c : moduleConfigs) {
            try {
                c.delete();
            } catch (IllegalStateException e) {
                // deleted by the test
            }
        }
        for (Bundle b : new Bundle[] { directory, monitoring }) {
            if (b != null) {
                b.uninstall();
            }
        }
        for (Configuration c : configAdmin.listConfigurations("(&(service.factoryPid=" + FACTORY_PID + ")(owner=*))") == null
                ? new Configuration[0] : configAdmin.listConfigurations("(&(service.factoryPid=" + FACTORY_PID + ")(owner=*))")) {
            String pid = c.getPid();
            c.delete();
            Await.until("module tunnel " + pid + " gone", TIMEOUT, () -> runtime.tunnels().stream().noneMatch(s -> s.id().equals(pid)));
        }
    }

    private Bundle install(String name) throws Exception {
        File jar = new File(System.getProperty("test.modules", "target/test-modules"), name + ".jar");
        Bundle b = context.installBundle(jar.toURI().toString());
        b.start();
        return b;
    }

    private Configuration configure(String pid, String mapping) throws Exception {
        Configuration c = configAdmin.getConfiguration(pid, "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("tunnel", pid.equals(DIRECTORY) ? "directory" : "monitoring");
        p.put("server.port", server.port());
        p.put("username", MinaServer.USER);
        p.put("password", MinaServer.PASSWORD);
        p.put("mapping", mapping);
        c.update(p);
        if (!moduleConfigs.contains(c)) {
            moduleConfigs.add(c);
        }
        return c;
    }

    /** Calls the module's own {@link TunnelAdmin}, as the module's code would, and lets it go again. */
    private static <T> T as(Bundle module, Function<TunnelAdmin, T> call) {
        BundleContext bc = module.getBundleContext();
        ServiceReference<TunnelAdmin> ref = bc.getServiceReference(TunnelAdmin.class);
        TunnelAdmin admin = bc.getService(ref);
        try {
            return call.apply(admin);
        } finally {
            bc.ungetService(ref);
        }
    }

    private static TunnelAdminException refused(Runnable r) {
        try {
            r.run();
        } catch (TunnelAdminException e) {
            return e;
        }
        fail("the change was not refused");
        return null;
    }

    /** The properties with arrays as lists, so that equal values compare equal. */
    private static Map<String, Object> comparable(Map<String, Object> props) {
        Map<String, Object> out = new java.util.HashMap<>();
        props.forEach((k, v) -> out.put(k, v instanceof Object[] ? java.util.Arrays.asList((Object[]) v) : v));
        return out;
    }

    private TunnelRequest request(String name, String... mappings) {
        return TunnelRequest.builder(name).server("127.0.0.1", server.port()).username(MinaServer.USER)
                .password(MinaServer.PASSWORD).mappings(mappings).build();
    }

    @Test
    public void eachModuleOwnsItsTunnelAndSeesTheOtherOnesButCannotChangeThem() throws Exception {
        assertEquals(DIRECTORY, status("directory").orElseThrow().spec().owner());
        assertEquals(MONITORING, status("monitoring").orElseThrow().spec().owner());
        Net.assertEchoes("127.0.0.1", directoryPort, 10_000);
        Net.assertEchoes("127.0.0.1", monitoringPort, 10_000);
        assertEquals(DIRECTORY, tunnelService("directory").getProperty(TUNNEL_OWNER));

        List<String> seenByDirectory = as(directory, a -> a.tunnels().stream().map(TunnelStatus::name).collect(Collectors.toList()));
        assertTrue(seenByDirectory.toString(), seenByDirectory.containsAll(List.of("directory", "monitoring")));
        assertEquals(DIRECTORY, as(directory, TunnelAdmin::module));
        assertEquals(MONITORING, as(monitoring, TunnelAdmin::module));

        Configuration stored = configAdmin.listConfigurations("(name=monitoring)")[0];
        Map<String, Object> before = comparable(configProperties(stored));
        int anyPort = Net.freePort();
        TunnelAdminException update = refused(() -> as(directory, a -> {
            a.update("monitoring", request("monitoring", "L " + anyPort + ":localhost:1"));
            return null;
        }));
        assertEquals(FindingCodes.NOT_OWNER, update.findings().get(0).code());
        assertTrue(update.getMessage(), update.getMessage().contains("owned by module \"" + MONITORING + "\""));
        TunnelAdminException delete = refused(() -> as(directory, a -> {
            a.delete("monitoring");
            return null;
        }));
        assertTrue(delete.getMessage(), delete.getMessage().contains(MONITORING));
        TunnelAdminException disable = refused(() -> as(monitoring, a -> {
            a.setEnabled("directory", false);
            return null;
        }));
        assertTrue(disable.getMessage(), disable.getMessage().contains("owned by module \"" + DIRECTORY + "\""));
        assertEquals("nothing changed", before, comparable(configProperties(stored)));
        assertEquals(TunnelState.UP, status("monitoring").orElseThrow().state());

        // the administrator's tunnels are not the modules' either
        create("admins", tunnel("admins", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L " + Net.freePort() + ":localhost:1"));
        TunnelAdminException admins = refused(() -> as(monitoring, a -> {
            a.delete("admins");
            return null;
        }));
        assertTrue(admins.getMessage(), admins.getMessage().contains("owned by the administrator"));
    }

    @Test
    public void aModuleChangesItsOwnTunnelAndIsHeldToItsPolicyAndToUniqueNames() throws Exception {
        int moved = Net.freePort();
        as(directory, a -> {
            a.update("directory", request("directory", "L " + moved + ":localhost:" + echo.port()));
            return null;
        });
        Await.until("the directory's tunnel on its new port", TIMEOUT, () -> Net.echoes(moved));

        int p1 = Net.freePort();
        int p2 = Net.freePort();
        int p3 = Net.freePort();
        TunnelAdminException policy = refused(() -> as(directory, a -> a.create(request("directory-push",
                "R " + p1 + ":localhost:" + echo.port()))));
        Finding f = policy.findings().stream().filter(Finding::isError).findFirst().orElseThrow();
        assertEquals(FindingCodes.POLICY_KIND, f.code());
        assertTrue(f.message(), f.message().contains("module \"" + DIRECTORY + "\" does not allow R mappings"));
        TunnelAdminException gateway = refused(() -> as(directory, a -> a.create(request("directory-gw",
                "L *:" + p2 + ":localhost:" + echo.port()))));
        assertTrue(gateway.getMessage(), gateway.findings().stream().anyMatch(x -> x.code().equals(FindingCodes.POLICY_GATEWAY)));
        assertNull("nothing was saved", configAdmin.listConfigurations("(|(name=directory-push)(name=directory-gw))"));

        TunnelAdminException taken = refused(() -> as(monitoring, a -> a.create(request("directory",
                "R " + p3 + ":localhost:" + echo.port()))));
        assertEquals(FindingCodes.NAME_TAKEN, taken.findings().get(0).code());
        assertTrue(taken.getMessage(), taken.getMessage().contains("owned by module \"" + DIRECTORY + "\""));

        TunnelAdminException collision = refused(() -> as(monitoring, a -> a.create(request("metrics2",
                "R " + monitoringPort + ":localhost:1"))));
        assertTrue(collision.getMessage(), collision.findings().stream().anyMatch(x -> x.code().equals(FindingCodes.REMOTE_PORT_COLLISION)));

        // a second tunnel of the module, then disabled and deleted by it
        int second = Net.freePort();
        as(monitoring, a -> a.create(request("metrics2", "R " + second + ":localhost:" + echo.port())));
        awaitState("metrics2", TunnelState.UP);
        as(monitoring, a -> {
            a.setEnabled("metrics2", false);
            return null;
        });
        TunnelStatus off = awaitState("metrics2", TunnelState.DISABLED);
        assertEquals("enabled is false", off.reason());
        as(monitoring, a -> {
            a.delete("metrics2");
            return null;
        });
        Await.until("metrics2 gone", TIMEOUT, () -> status("metrics2").isEmpty());
    }

    @Test
    public void aModuleMakesItsTunnelFromATemplateOnceAndAgainAtEveryStartWithoutAChange() throws Exception {
        java.util.Map<String, String> dc = java.util.Map.of("dc", "127.0.0.1");
        String pid = as(directory, a -> a.applyTemplate(request("directory-ldap"), "ldap", dc));
        TunnelStatus made = awaitState("directory-ldap", TunnelState.UP);
        assertEquals(pid, made.id());
        assertEquals(DIRECTORY, made.spec().owner());
        PortMapping ldap = made.spec().mappings().get(0);
        assertEquals("ldap", ldap.service());
        assertEquals("127.0.0.1", ldap.targetHost());
        assertEquals(389, ldap.targetPort());
        long version = configAdmin.listConfigurations("(service.pid=" + pid + ")")[0].getChangeCount();

        // the module's next start asks the same: same tunnel, same port, nothing written
        assertEquals(pid, as(directory, a -> a.applyTemplate(request("directory-ldap"), "ldap", dc)));
        assertEquals(version, configAdmin.listConfigurations("(service.pid=" + pid + ")")[0].getChangeCount());
        assertEquals(List.of(ldap), status("directory-ldap").orElseThrow().spec().mappings());

        // the domain controller moves: the mapping follows it on the port it had, and the old one goes
        java.util.Map<String, String> moved = java.util.Map.of("dc", "localhost");
        assertEquals(pid, as(directory, a -> a.applyTemplate(request("directory-ldap"), "ldap", moved)));
        List<PortMapping> now = Await.until("the moved mapping", TIMEOUT, () -> status("directory-ldap")
                .map(st -> st.spec().mappings()).filter(ms -> ms.size() == 1 && "localhost".equals(ms.get(0).targetHost()))
                .orElse(null));
        assertEquals(ldap.bindPort(), now.get(0).bindPort());

        // its policy (L only) refuses a template of R mappings, naming the module; a missing value is named too
        TunnelAdminException kind = refused(() -> as(directory, a -> a.applyTemplate(request("directory-metrics"), "prometheus",
                java.util.Map.of())));
        assertTrue(kind.getMessage(), kind.findings().stream().anyMatch(x -> x.code().equals(FindingCodes.POLICY_KIND)
                && x.message().contains(DIRECTORY)));
        TunnelAdminException blank = refused(() -> as(directory, a -> a.applyTemplate(request("directory-sql"), "mssql",
                java.util.Map.of())));
        assertEquals(FindingCodes.TEMPLATE_PLACEHOLDER, blank.findings().get(0).code());
        assertNull("nothing was saved", configAdmin.listConfigurations("(|(name=directory-metrics)(name=directory-sql))"));
    }

    @Test
    public void aModulesTunnelsLiveWithTheModule() throws Exception {
        directory.stop();
        TunnelStatus down = awaitState("directory", TunnelState.DISABLED);
        assertTrue(down.reason(), down.reason().contains("module \"" + DIRECTORY + "\" is not active"));
        Await.until("the directory's listener closed", TIMEOUT, () -> !Net.accepts("127.0.0.1", directoryPort));
        assertEquals("the configuration is kept", 1, configAdmin.listConfigurations("(name=directory)").length);
        assertEquals("the other module's tunnel stays up", TunnelState.UP, status("monitoring").orElseThrow().state());
        Net.assertEchoes("127.0.0.1", monitoringPort, 10_000);

        directory.start();
        awaitState("directory", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", directoryPort, 10_000);

        // the module's last configuration deleted: its component lets the tunnel admin go
        Configuration moduleConfig = moduleConfigs.remove(0);
        moduleConfig.delete();
        TunnelStatus released = awaitState("directory", TunnelState.DISABLED);
        assertTrue(released.reason(), released.reason().contains("not active"));
        configure(DIRECTORY, "L " + directoryPort + ":localhost:" + echo.port() + " # directory");
        awaitState("directory", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", directoryPort, 10_000);
    }
}
