package io.sshtunnel.itest;

import static io.sshtunnel.api.TunnelConstants.*;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import io.sshtunnel.api.PortMapping;
import io.sshtunnel.api.TemplateApplication;
import io.sshtunnel.api.TemplateCatalog;
import io.sshtunnel.api.TunnelEndpoint;
import io.sshtunnel.api.TunnelSpec;
import io.sshtunnel.api.TunnelState;
import io.sshtunnel.api.TunnelStatus;
import io.sshtunnel.api.TunnelTemplate;

/** Service templates in the container: contributed by a bundle, applied to a tunnel that then works. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TemplatesIT extends MinaTunnelTestSupport {
    private ServiceTracker<TemplateCatalog, TemplateCatalog> catalogs;

    @Before
    public void trackCatalog() {
        catalogs = new ServiceTracker<>(context, TemplateCatalog.class, null);
        catalogs.open();
    }

    @After
    public void untrackCatalog() {
        catalogs.close();
    }

    private TemplateCatalog catalog() {
        return Await.until("the template catalog", TIMEOUT, catalogs::getService);
    }

    private boolean listed(String id) {
        return catalog().templates().stream().map(TunnelTemplate::id).anyMatch(id::equals);
    }

    @Test
    public void aTemplateContributedByABundleIsListedWhileTheBundleIsActive() throws Exception {
        assertFalse(listed("crm"));
        File jar = new File(System.getProperty("test.modules", "target/test-modules"), "io.sshtunnel.itest.templates.jar");
        Bundle contributor = context.installBundle(jar.toURI().toString());
        try {
            contributor.start();
            Await.until("template crm listed", TIMEOUT, () -> listed("crm"));
            List<String> ids = catalog().templates().stream().map(TunnelTemplate::id).collect(Collectors.toList());
            assertEquals("the built-in ones come first", "ldap", ids.get(0));
            assertEquals("CRM-Datenbank", catalog().template("crm").orElseThrow().title(Locale.GERMAN));
            TemplateApplication a = catalog().apply("crm", Map.of("crm", "127.0.0.1"), draft("crm"), others(), Locale.ENGLISH);
            assertEquals(1, a.added().size());
            assertEquals("crm", a.added().get(0).service());

            contributor.stop();
            Await.until("template crm gone", TIMEOUT, () -> !listed("crm"));
            assertTrue("the built-in ones stay", listed("ldap"));
        } finally {
            contributor.uninstall();
        }
    }

    @Test
    public void aTunnelMadeFromTheLdapTemplateComesUpAndItsEndpointCarriesTheServiceAlsoAfterACoreRestart() throws Exception {
        TemplateApplication a = catalog().apply("ldap", Map.of("dc", "127.0.0.1"), draft("directory"), others(), Locale.ENGLISH);
        assertFalse(a.toString(), a.hasErrors());
        PortMapping m = a.added().get(0);
        assertEquals("ldap", m.service());
        create("directory", tunnel("directory", server.port(), MinaServer.USER, MinaServer.PASSWORD,
                a.mappings().stream().map(PortMapping::format).toArray(String[]::new)));
        TunnelStatus up = awaitState("directory", TunnelState.UP);
        assertEquals("ldap", up.mappings().get(0).service());
        assertEquals("Only this machine can reach port 389 on the SSH server itself, through the SSH server, at 127.0.0.1:" + m.bindPort() + ".",
                up.mappings().get(0).explanation(Locale.ENGLISH));
        assertEndpoint(m);

        core().stop();
        core().start();
        Await.until("tunnel UP after the restart", TIMEOUT,
                () -> currentRuntime() != null && currentRuntime().tunnel("directory").filter(s -> s.state() == TunnelState.UP).isPresent());
        assertEndpoint(m);

        // applying the template again to the running tunnel inserts nothing
        TunnelSpec running = currentRuntime().tunnel("directory").orElseThrow().spec();
        TemplateApplication again = catalog().apply("ldap", Map.of("dc", "127.0.0.1"), running, others(), Locale.ENGLISH);
        assertEquals(List.of(), again.added());
        assertEquals(List.of(m), again.alreadyPresent());
    }

    private void assertEndpoint(PortMapping m) throws Exception {
        ServiceReference<TunnelEndpoint> ref = Await.until("the endpoint with mapping.service=ldap", TIMEOUT,
                () -> endpoints("directory").stream().filter(r -> "ldap".equals(r.getProperty(MAPPING_SERVICE))).findFirst().orElse(null));
        assertEquals(m.bindPort(), ref.getProperty(MAPPING_BIND_PORT));
        assertEquals(1, context.getServiceReferences(TunnelEndpoint.class, "(mapping.service=ldap)").size());
        assertTrue("its listener accepts", Net.accepts("127.0.0.1", m.bindPort()));
    }

    private TunnelSpec draft(String name) {
        return TunnelSpec.builder("new", name).server("127.0.0.1", server.port()).username(MinaServer.USER).passwordSet(true).build();
    }

    private List<TunnelSpec> others() {
        return currentRuntime().tunnels().stream().map(TunnelStatus::spec).collect(Collectors.toList());
    }
}
