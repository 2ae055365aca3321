package io.sshtunnel.validation.internal;

import static io.sshtunnel.validation.internal.RulesTest.single;
import static io.sshtunnel.validation.internal.RulesTest.tunnel;
import static io.sshtunnel.validation.internal.RulesTest.withCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.sshtunnel.api.Finding;
import io.sshtunnel.api.FindingCodes;
import io.sshtunnel.api.MappingKind;
import io.sshtunnel.api.MappingState;
import io.sshtunnel.api.MappingStatus;
import io.sshtunnel.api.Severity;
import io.sshtunnel.api.TunnelPolicy;
import io.sshtunnel.api.TunnelRuntime;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;

/** The service as the engine and the console call it: policies by owner, the runtime's own ports, never an exception. */
class ValidatorComponentTest {
    private final ValidatorComponent validator = new ValidatorComponent();

    /** Forbids every kind of mapping in the tunnels of com.example.other. */
    private static final TunnelPolicy OTHER = new TunnelPolicy() {
        @Override
        public String module() {
            return "com.example.other";
        }

        @Override
        public Set<MappingKind> allowedKinds() {
            return Set.of();
        }
    };

    private static List<String> policyFindings(List<Finding> findings) {
        return findings.stream().filter(f -> f.code().startsWith("POLICY_")).map(Finding::message).collect(Collectors.toList());
    }

    @Test
    void aPolicyAppliesOnlyToTheTunnelsOfItsModule() {
        validator.addPolicy(new RulesTest.AdPolicy());
        validator.addPolicy(OTHER);
        TunnelSpec.Builder b = tunnel("prometheus", "R 2222:localhost:22");

        List<Finding> ad = validator.validate(b.owner("com.example.ad").build(), List.of());
        assertEquals(List.of("mapping 1 \"R 2222:localhost:22\": module \"com.example.ad\" does not allow R mappings in its tunnels: remove the mapping or ask the module's administrator to allow it",
                "mapping 1 \"R 2222:localhost:22\": module \"com.example.ad\" allows only ports 1024-2000, not 2222: choose a port in that range"),
                policyFindings(ad));
        assertTrue(withCode(ad, FindingCodes.POLICY_KIND).get(0).isError());

        List<Finding> other = validator.validate(b.owner("com.example.other").build(), List.of());
        assertEquals(List.of("mapping 1 \"R 2222:localhost:22\": module \"com.example.other\" does not allow R mappings in its tunnels: remove the mapping or ask the module's administrator to allow it"),
                policyFindings(other));

        assertEquals(List.of(), validator.validate(b.owner(null).build(), List.of()), "the administrator's tunnels have no policy");
        assertEquals(List.of(), validator.validate(b.owner("com.example.third").build(), List.of()), "a module without a policy");
    }

    @Test
    void aRemovedPolicyNoLongerApplies() {
        RulesTest.AdPolicy policy = new RulesTest.AdPolicy();
        validator.addPolicy(policy);
        TunnelSpec t = tunnel("t", "R 2222:localhost:22").owner("com.example.ad").build();
        assertEquals(2, policyFindings(validator.validate(t, List.of())).size());
        validator.removePolicy(policy);
        assertEquals(List.of(), validator.validate(t, List.of()));
    }

    @Test
    void theLanguageIsEnglishUnlessAskedOtherwise() {
        TunnelSpec t = tunnel("t", "R 2222:localhost:22").username(null).build();
        assertEquals("username is not set: it is required, give a value", single(validator.validate(t, List.of()), FindingCodes.REQUIRED).message());
        assertEquals("username ist nicht gesetzt, wird aber ben\u00f6tigt: einen Wert angeben",
                single(validator.validate(t, List.of(), Locale.GERMAN), FindingCodes.REQUIRED).message());
    }

    @Test
    void collisionsWithOtherTunnelsAreReportedWhoeverOwnsThem() {
        TunnelSpec adminTunnel = tunnel("ad", "R 9100:localhost:9100").build();
        TunnelSpec moduleTunnel = tunnel("metrics", "R *:9100:localhost:9101").owner("com.example.metrics").build();
        Finding f = single(validator.validate(moduleTunnel, List.of(adminTunnel, moduleTunnel)), FindingCodes.REMOTE_PORT_COLLISION);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.message().contains("already used by tunnel \"ad\" (mapping 1 \"R 9100:localhost:9100\")"), f.message());
    }

    @Test
    void aDefectBecomesAFindingInsteadOfAnException() {
        TunnelSpec t = tunnel("t", "R 2222:localhost:22").build();
        List<Finding> findings = validator.validate(t, Arrays.asList(tunnel("ok", "R 2223:localhost:22").build(), null));
        assertEquals(List.of(new Finding(Severity.ERROR, FindingCodes.INTERNAL, "name", Finding.NO_MAPPING,
                "checking this configuration failed (NullPointerException); please report this as a bug")), findings);
    }

    // ---- the runtime's own ports -----------------------------------------------------------------

    private static TunnelRuntime runtime(TunnelSpec spec, TunnelState state) {
        Instant now = Instant.now();
        MappingState ms = state == TunnelState.UP ? MappingState.ACTIVE : MappingState.PENDING;
        List<MappingStatus> mappings = List.of(new MappingStatus(0, spec.mappings().get(0), ms, null, now, null));
        TunnelStatus status = new TunnelStatus(spec, state, null, now, null, 0, null, mappings, List.of());
        return new TunnelRuntime() {
            @Override
            public List<TunnelStatus> tunnels() {
                return List.of(status);
            }

            @Override
            public Optional<TunnelStatus> tunnel(String name) {
                return name.equals(status.name()) ? Optional.of(status) : Optional.empty();
            }

            @Override
            public List<io.sshtunnel.api.Finding> check(String pid, java.util.Map<String, ?> properties, java.util.Locale locale) {
                throw new UnsupportedOperationException("the validator never asks the runtime to check");
            }
        };
    }

    @Test
    void aPortHeldByTheTunnelsOwnActiveMappingIsNotInUseByAnotherProgram() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = held.getLocalPort();
            TunnelSpec t = tunnel("ad", "L " + port + ":dc1.corp.local:389").build();

            Finding inUse = single(validator.validate(t, List.of()), FindingCodes.LOCAL_PORT_IN_USE);
            assertEquals(Severity.WARNING, inUse.severity());
            assertEquals("mapping 1 \"L " + port + ":dc1.corp.local:389\": local port " + port + " is already in use on this machine"
                    + " by another program: the mapping will be retried until the port is free; choose another port or stop that"
                    + " program", inUse.message());

            TunnelRuntime active = runtime(t, TunnelState.UP);
            validator.setRuntime(active);
            assertEquals(List.of(), validator.validate(t, List.of()), "the tunnel holds the port itself");
            // while it connects or retries, its listener may hold the port too (a taken port shows as a failed mapping)
            validator.setRuntime(runtime(t, TunnelState.CONNECTING));
            assertEquals(List.of(), validator.validate(t, List.of()), "connecting");
            validator.setRuntime(runtime(t, TunnelState.RETRYING));
            assertEquals(List.of(), validator.validate(t, List.of()), "retrying");

            for (TunnelState down : new TunnelState[] { TunnelState.FAILED, TunnelState.INVALID, TunnelState.DISABLED }) {
                validator.setRuntime(runtime(t, down));
                single(validator.validate(t, List.of()), FindingCodes.LOCAL_PORT_IN_USE);
            }

            TunnelSpec someoneElse = tunnel("sql", "L " + port + ":sql.corp.local:1433").build();
            validator.setRuntime(runtime(someoneElse, TunnelState.UP));
            single(validator.validate(t, List.of()), FindingCodes.LOCAL_PORT_IN_USE);

            validator.setRuntime(active);
            validator.unsetRuntime(runtime(t, TunnelState.UP));
            assertEquals(List.of(), validator.validate(t, List.of()), "unsetting another runtime keeps this one");
            validator.unsetRuntime(active);
            single(validator.validate(t, List.of()), FindingCodes.LOCAL_PORT_IN_USE);
        }
    }
}
