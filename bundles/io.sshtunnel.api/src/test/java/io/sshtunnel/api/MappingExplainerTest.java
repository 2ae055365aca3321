package io.sshtunnel.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sentence the console, the shell and the JSON show for a mapping, for each kind and bind form. */
class MappingExplainerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // local, this machine only
        "L 1389:dc1.corp.local:389 # LDAP | Only this machine can reach dc1.corp.local:389, through the SSH server, at 127.0.0.1:1389.",
        "L 127.0.0.1:1389:dc1:389 | Only this machine can reach dc1:389, through the SSH server, at 127.0.0.1:1389.",
        "L [::1]:1389:dc1:389 | Only this machine can reach dc1:389, through the SSH server, at [::1]:1389.",
        "L localhost:1389:dc1:389 | Only this machine can reach dc1:389, through the SSH server, at localhost:1389.",
        "L 2222:localhost:22 | Only this machine can reach port 22 on the SSH server itself, through the SSH server, at 127.0.0.1:2222.",
        "L 1389:[2001:db8::10]:389 | Only this machine can reach [2001:db8::10]:389, through the SSH server, at 127.0.0.1:1389.",
        // local, gateway
        "L *:1712:metadir.corp.local:1712 | This machine and every host that can reach it can connect to port 1712 on this machine and reach metadir.corp.local:1712 through the SSH server: third parties can use this.",
        "L 192.0.2.7:1712:md:1712 | This machine and every host that can reach 192.0.2.7 can connect to 192.0.2.7:1712 and reach md:1712 through the SSH server: third parties can use this.",
        "L [fe80::1]:1712:md:1712 | This machine and every host that can reach [fe80::1] can connect to [fe80::1]:1712 and reach md:1712 through the SSH server: third parties can use this.",
        // remote, SSH server only
        "R 2222:localhost:22 | Only the SSH server itself can connect to its port 2222 and reach port 22 on this machine.",
        "R 127.0.0.1:5038:localhost:5038 | Only the SSH server itself can connect to its port 5038 and reach port 5038 on this machine.",
        "R 8080:intranet.local:80 | Only the SSH server itself can connect to its port 8080 and reach intranet.local:80 through this machine.",
        // remote, gateway
        "R *:9100:localhost:9100 | The SSH server and every host that can reach it can connect to port 9100 on the SSH server and reach port 9100 on this machine: third parties can use this.",
        "R 10.0.0.5:9100:localhost:9100 | The SSH server and every host that can reach 10.0.0.5 can connect to 10.0.0.5:9100 on the SSH server and reach port 9100 on this machine: third parties can use this.",
        "R [2001:db8::1]:9100:[::1]:9100 | The SSH server and every host that can reach [2001:db8::1] can connect to [2001:db8::1]:9100 on the SSH server and reach port 9100 on this machine: third parties can use this.",
    })
    void english(String entry, String sentence) {
        assertEquals(sentence, PortMapping.parse(entry).explain(Locale.ENGLISH));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "L 1389:dc1.corp.local:389 | Nur dieser Rechner erreicht dc1.corp.local:389 über den SSH-Server, unter 127.0.0.1:1389.",
        "L 2222:localhost:22 | Nur dieser Rechner erreicht Port 22 des SSH-Servers selbst über den SSH-Server, unter 127.0.0.1:2222.",
        "L *:1712:md:1712 | Dieser Rechner und jeder Host, der ihn erreicht, kann sich mit Port 1712 dieses Rechners verbinden und erreicht so md:1712 über den SSH-Server: Dritte können das nutzen.",
        "L 192.0.2.7:1712:md:1712 | Dieser Rechner und jeder Host, der 192.0.2.7 erreicht, kann sich mit 192.0.2.7:1712 verbinden und erreicht so md:1712 über den SSH-Server: Dritte können das nutzen.",
        "R 2222:localhost:22 | Nur der SSH-Server selbst kann sich mit seinem Port 2222 verbinden und erreicht so Port 22 dieses Rechners.",
        "R 8080:intranet.local:80 | Nur der SSH-Server selbst kann sich mit seinem Port 8080 verbinden und erreicht so intranet.local:80 über diesen Rechner.",
        "R *:9100:localhost:9100 | Der SSH-Server und jeder Host, der ihn erreicht, kann sich mit Port 9100 des SSH-Servers verbinden und erreicht so Port 9100 dieses Rechners: Dritte können das nutzen.",
        "R [2001:db8::1]:9100:localhost:9100 | Der SSH-Server und jeder Host, der [2001:db8::1] erreicht, kann sich mit [2001:db8::1]:9100 auf dem SSH-Server verbinden und erreicht so Port 9100 dieses Rechners: Dritte können das nutzen.",
    })
    void german(String entry, String sentence) {
        assertEquals(sentence, PortMapping.parse(entry).explain(Locale.GERMAN));
        assertEquals(sentence, PortMapping.parse(entry).explain(Locale.forLanguageTag("de-AT")));
    }

    @org.junit.jupiter.api.Test
    void otherLanguagesAndNoLocaleGetEnglish() {
        PortMapping m = PortMapping.parse("R 2222:localhost:22");
        assertEquals(m.explain(Locale.ENGLISH), m.explain(Locale.FRENCH));
        assertEquals(m.explain(Locale.ENGLISH), m.explain(null));
    }

    @org.junit.jupiter.api.Test
    void theStatusOfAMappingCarriesItsExplanationAndService() {
        PortMapping m = PortMapping.parse("L 1389:dc1:389 service=ldap # LDAP");
        MappingStatus s = new MappingStatus(0, m, MappingState.ACTIVE, null, java.time.Instant.EPOCH, null);
        assertEquals("ldap", s.service());
        assertEquals(m.explain(Locale.GERMAN), s.explanation(Locale.GERMAN));
    }
}
