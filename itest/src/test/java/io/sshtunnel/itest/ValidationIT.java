package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelValidator;

/** The validation bundle in the container: the engine refuses what it refuses, and recovers when the cause goes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ValidationIT extends MinaTunnelTestSupport {
    @Inject
    private TunnelValidator validator;


    @Test
    public void collidingLocalPortRefusesTheSecondTunnelUntilTheFirstIsGone() throws Exception {
        int port = Net.freePort();
        org.osgi.service.cm.Configuration first = create("first", tunnel("first", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + port + ":localhost:" + echo.port() + " # directory"));
        awaitState("first", TunnelState.UP);
        create("second", tunnel("second", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + Net.freePort() + ":localhost:" + echo.port(), "L " + port + ":127.0.0.1:" + echo.port()));
        TunnelStatus refused = awaitState("second", TunnelState.INVALID);
        Finding f = refused.findings().stream().filter(Finding::isError).findFirst().orElseThrow();
        assertEquals(FindingCodes.LOCAL_PORT_COLLISION, f.code());
        assertEquals(MAPPINGS, f.property());
        assertEquals(1, f.mappingIndex());
        assertTrue(f.message(), f.message().contains("tunnel \"first\"") && f.message().contains(String.valueOf(port)));
        assertEquals("the first keeps working", TunnelState.UP, status("first").get().state());
        Net.assertEchoes("127.0.0.1", port, 1000);

        first.delete();
        awaitState("second", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", port, 1000);
    }

    @Test
    public void modulePolicyRefusesWhatItForbidsAndReleasesWhenWithdrawn() throws Exception {
        Hashtable<String, Object> p = tunnel("owned", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + Net.freePort() + ":localhost:" + echo.port(), "R " + Net.freePort() + ":localhost:" + echo.port());
        p.put(OWNER, "com.example.directory");
        create("owned", p);
        // first DISABLED while it is being checked, then for want of its module
        TunnelStatus held = Await.until(() -> "held back for its module (now " + status("owned") + ")", TIMEOUT, () -> status("owned")
                .filter(s -> s.state() == TunnelState.DISABLED && s.reason() != null && s.reason().contains("is not active")).orElse(null));
        assertTrue(held.reason(), held.reason().contains("module \"com.example.directory\" is not active"));
        // the module is active (as the ownership bundle says while the module holds its tunnel admin)
        Hashtable<String, Object> active = new Hashtable<>();
        active.put(MODULE_NAME, "com.example.directory");
        ServiceRegistration<io.sshtunnel.api.TunnelModule> module = context.registerService(io.sshtunnel.api.TunnelModule.class,
                () -> "com.example.directory", active);
        try {
            awaitState("owned", TunnelState.UP);

            ServiceRegistration<TunnelPolicy> reg = context.registerService(TunnelPolicy.class, new TunnelPolicy() {
                @Override
                public String module() {
                    return "com.example.directory";
                }

                @Override
                public Set<MappingKind> allowedKinds() {
                    return Set.of(MappingKind.L);
                }
            }, null);
            try {
                TunnelStatus refused = awaitState("owned", TunnelState.INVALID);
                assertTrue(refused.findings().toString(), refused.findings().stream().anyMatch(f -> f.code().equals(FindingCodes.POLICY_KIND)
                        && f.mappingIndex() == 1 && f.message().contains("com.example.directory")));
            } finally {
                reg.unregister();
            }
            awaitState("owned", TunnelState.UP);
        } finally {
            module.unregister();
        }
        awaitState("owned", TunnelState.DISABLED);
    }

    @Test
    public void stoppingTheValidationBundleLeavesRunningTunnelsUpAndNewOnesWaitUntilItIsBack() throws Exception {
        int runningPort = Net.freePort();
        create("running", tunnel("running", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                "L " + runningPort + ":localhost:" + echo.port()));
        awaitState("running", TunnelState.UP);
        org.osgi.framework.Bundle validation = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "io.sshtunnel.validation".equals(b.getSymbolicName())).findFirst().orElseThrow();
        int newPort = Net.freePort();
        validation.stop();
        try {
            TunnelStatus alone = Await.until("a warning that the running tunnel is no longer checked", TIMEOUT,
                    () -> status("running").filter(s -> has(s, Severity.WARNING, FindingCodes.VALIDATION_UNAVAILABLE)).orElse(null));
            assertEquals(TunnelState.UP, alone.state());
            Net.assertEchoes("127.0.0.1", runningPort, 1000);

            create("newcomer", tunnel("newcomer", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                    "L " + newPort + ":localhost:" + echo.port()));
            TunnelStatus waiting = awaitState("newcomer", TunnelState.INVALID);
            assertTrue(waiting.findings().toString(), has(waiting, Severity.ERROR, FindingCodes.VALIDATION_UNAVAILABLE));
            assertTrue(waiting.reason(), waiting.reason().contains("io.sshtunnel.validation"));
        } finally {
            validation.start();
        }
        awaitState("newcomer", TunnelState.UP);
        Await.until("the running tunnel checked again", TIMEOUT, () -> status("running")
                .filter(s -> !has(s, Severity.WARNING, FindingCodes.VALIDATION_UNAVAILABLE)).orElse(null));
        Net.assertEchoes("127.0.0.1", newPort, 1000);
        Net.assertEchoes("127.0.0.1", runningPort, 1000);
    }

    @Test
    public void aConfigurationWithAHundredThousandMappingsIsRefusedWhileOtherTunnelsComeAndGo() throws Exception {
        String[] hostile = new String[100_000];
        for (int i = 0; i < hostile.length; i++) {
            hostile[i] = "L " + (2000 + i % 60_000) + ":dc" + i + ".corp.local:389";
        }
        Hashtable<String, Object> p = tunnel("hostile", server.port(), MinaServer.USER, MinaServer.PASSWORD, "L 1:x:1");
        p.put(MAPPINGS, hostile);
        long start = System.nanoTime();
        create("hostile", p);

        // meanwhile, an ordinary tunnel is created, carries bytes and is deleted
        int port = Net.freePort();
        org.osgi.service.cm.Configuration other = create("meanwhile", tunnel("meanwhile", server.port(), MinaServer.USER,
                MinaServer.PASSWORD, "L " + port + ":localhost:" + echo.port()));
        awaitState("meanwhile", TunnelState.UP);
        Net.assertEchoes("127.0.0.1", port, 1000);
        other.delete();
        Await.until("the ordinary tunnel gone", TIMEOUT, () -> status("meanwhile").isEmpty());
        Figures.millis("hostile configuration", "another tunnel created, carrying bytes and deleted while 100,000 mappings"
                + " arrive", start);

        TunnelStatus refused = awaitState("hostile", TunnelState.INVALID);
        List<Finding> errors = refused.findings().stream().filter(Finding::isError).collect(java.util.stream.Collectors.toList());
        assertEquals(errors.toString(), 1, errors.size());
        assertEquals(FindingCodes.TOO_MANY_MAPPINGS, errors.get(0).code());
        assertTrue(errors.get(0).message(), errors.get(0).message().contains("100000") && errors.get(0).message().contains("100"));
        Figures.millis("hostile configuration", "100,000 mappings refused with one finding", start);
    }

    private static boolean has(TunnelStatus s, Severity severity, String code) {
        return s.findings().stream().anyMatch(f -> f.severity() == severity && f.code().equals(code));
    }

    @Test
    public void theServiceAnswersInGermanForGermanUsers() {
        TunnelSpec spec = TunnelSpec.builder("x", "x").server("127.0.0.1", 22).username("u").passwordSet(true)
                .mappings(List.of(PortMapping.parse("R *:9100:localhost:9100"))).build();
        List<Finding> de = validator.validate(spec, List.of(), Locale.GERMAN);
        Finding notice = de.stream().filter(f -> f.severity() == Severity.NOTICE).findFirst().orElseThrow();
        assertEquals(FindingCodes.GATEWAY_EXPOSURE, notice.code());
        assertTrue(notice.message(), notice.message().contains("für andere Hosts erreichbar") && notice.message().contains("GatewayPorts"));
        assertTrue(validator.validate(spec, List.of()).get(0).message().contains("reachable by other hosts"));
    }
}
