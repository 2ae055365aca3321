package io.sshtunnel.monitoring.internal;

import java.time.Clock;
import java.time.Duration;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.sshtunnel.api.TunnelRuntime;

/** The Felix Health Check "SSH tunnels" (tag {@code sshtunnel}): {@link HealthRules} over every tunnel. */
@Component(service = HealthCheck.class, configurationPid = "io.sshtunnel.healthcheck",
        property = { HealthCheck.NAME + "=SSH tunnels", HealthCheck.TAGS + "=sshtunnel" })
@Designate(ocd = TunnelHealthCheck.Config.class)
public final class TunnelHealthCheck implements HealthCheck {

    @ObjectClassDefinition(name = "sshtunnel health check", description = "How the health check \"SSH tunnels\" judges the tunnels.")
    public @interface Config {
        @AttributeDefinition(name = "Grace while retrying (s)", description = "A tunnel without a connection counts as"
                + " TEMPORARILY_UNAVAILABLE for this long, and CRITICAL after it.", min = "0", max = "86400")
        int retrying_grace_seconds() default 60;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TunnelRuntime runtime;
    private volatile Duration grace;
    private final Clock clock;

    @Activate
    public TunnelHealthCheck(Config config) {
        this(config, Clock.systemUTC(), null);
    }

    TunnelHealthCheck(Config config, Clock clock, TunnelRuntime runtime) {
        this.clock = clock;
        this.runtime = runtime;
        modified(config);
    }

    @Modified
    void modified(Config config) {
        grace = Duration.ofSeconds(Math.max(0, config.retrying_grace_seconds()));
    }

    @Override
    public Result execute() {
        FormattingResultLog log = new FormattingResultLog();
        TunnelRuntime r = runtime;
        if (r == null) {
            log.critical("the tunnel engine (bundle io.sshtunnel.core) is not running: no tunnel works");
            return new Result(log);
        }
        for (HealthRules.Line line : HealthRules.evaluate(r.tunnels(), clock.instant(), grace)) {
            switch (line.level) {
            case OK:
                log.info("{}", line.message);
                break;
            case WARN:
                log.warn("{}", line.message);
                break;
            case TEMPORARILY_UNAVAILABLE:
                log.temporarilyUnavailable("{}", line.message);
                break;
            default:
                log.critical("{}", line.message);
            }
        }
        return new Result(log);
    }
}
