package io.sshtunnel.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator's page in a real browser: Debian's headless Chromium driven by Selenium through the
 * installed chromedriver (nothing downloaded), against the assembly as a user runs it, a real
 * OpenSSH server behind its tunnels.
 */
public class ConsolePageIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration UI = Duration.ofSeconds(30);
    /** A label with markup: the page must show it as text, never as HTML. */
    private static final String LABEL = "echo <img src=x onerror=\"document.title='pwned'\">";

    private static OpenSsh sshd;
    private static EchoServer echo;
    private static Assembly felix;
    private static int port;
    private static int heldPort;
    private static WebDriver browser;
    private static Path work;

    @BeforeClass
    public static void setUp() throws Exception {
        Chromium.require();
        Requirements.require(OpenSsh.binary() != null, "OpenSSH sshd is not installed (CI installs openssh-server)");
        work = Path.of(System.getProperty("itest.work", "target/itest-work"), "console-" + System.nanoTime()).toAbsolutePath();
        sshd = OpenSsh.start(work.resolve("sshd"), null);
        echo = new EchoServer();
        port = Net.freePort();
        felix = new Assembly(work, port);
        felix.start();
        Await.until(() -> "web console with its generated password (see " + felix.log() + ")", START,
                () -> felix.consolePassword() != null && felix.http("/system/console/bundles") == 200);

        // an administrator's tunnel from a file, holding a local port
        heldPort = Net.freePort();
        felix.drop("held", "name = held", "server.host = 127.0.0.1", "server.port = " + sshd.port(),
                "username = " + System.getProperty("user.name"), "private.key.path = " + sshd.clientKey(),
                "mappings = L " + heldPort + ":127.0.0.1:" + echo.port() + " # " + LABEL);
        Await.until("bytes through the held tunnel", START, () -> Net.echoes(heldPort));

        // a module's tunnel: the module hot-deployed with its configuration
        int modulePort = Net.freePort();
        felix.deployDirectoryModule(sshd, modulePort, echo.port());
        Await.until(() -> "bytes through the module's tunnel (see " + felix.log() + ")", START, () -> Net.echoes(modulePort));

        // the key the page's tunnel uses, at a path relative to the assembly's folder (as the picture in docs/console.md shows it)
        Path keys = Files.createDirectories(work.resolve("keys"));
        Files.copy(sshd.clientKey(), keys.resolve("id_ed25519"));
        Files.setPosixFilePermissions(keys.resolve("id_ed25519"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        browser = Chromium.start(work);
        // log in: HTTP Basic with the password the assembly generated
        browser.get("http://admin:" + felix.consolePassword() + "@127.0.0.1:" + port + "/system/console/sshtunnels");
    }

    @AfterClass
    public static void tearDown() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (felix != null) {
            felix.stop();
        }
        if (echo != null) {
            echo.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, UI);
    }

    private static void page() {
        browser.get("http://127.0.0.1:" + port + "/system/console/sshtunnels");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#st-tunnels tr.st-tunnel")));
    }

    /** Clicks what the selector finds, finding it again if the page's poll replaced it meanwhile. */
    private static void click(By by) {
        waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** The text of what the selector finds in the row of the named tunnel, read again if the poll replaced it meanwhile. */
    private static String cell(String name, String selector) {
        By by = By.cssSelector("#st-tunnels tr.st-tunnel[data-name='" + name + "'] " + selector);
        return waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.findElement(by).getText());
    }

    private static boolean absent(String name, String selector) {
        return browser.findElements(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='" + name + "'] " + selector)).isEmpty();
    }

    private static void type(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private static void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    public void afterLogInTheOverviewShowsTheTunnelUpWithItsMappings() throws Exception {
        page();
        waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#st-tunnels tr.st-tunnel[data-name='held'][data-state='UP']")));
        assertEquals("1/1", cell("held", ".st-up"));
        assertEquals("(administrator)", cell("held", ".st-owner"));
        click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='held'] .st-toggle"));
        String details = waiting().ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            String text = d.findElement(By.cssSelector("#st-tunnels tr.st-details[data-name='held']")).getText();
            return text.contains("L " + heldPort + ":127.0.0.1:" + echo.port() + " # " + LABEL) ? text : null;
        });
        assertTrue(details, details.contains("127.0.0.1:" + heldPort) && details.contains("ACTIVE"));
        assertTrue("markup in a label is shown as text", browser.findElements(By.cssSelector("#st-app img")).isEmpty());
        assertFalse(browser.getTitle().contains("pwned"));
        screenshot(Path.of("target", "console-overview.png"));
    }

    /**
     * The seed's dialog: the connection test starts by itself once host, user and a credential are
     * in and fills the fingerprint; a template inserts its mapping; a port another tunnel holds is
     * flagged on that field while typing; a gateway row is highlighted with the hint; saved, the
     * tunnel comes up and carries bytes.
     */
    @Test
    public void aTunnelFromTheLdapTemplateIsTestedCheckedSavedAndComesUp() throws Exception {
        page();
        browser.findElement(By.id("st-new")).click();
        type("st-name", "ldap-it");
        type("st-host", "127.0.0.1");
        type("st-port", String.valueOf(sshd.port()));
        type("st-user", System.getProperty("user.name"));
        type("st-key", "keys/id_ed25519");
        waiting().until(ExpectedConditions.attributeToBe(By.id("st-test-result"), "data-outcome", "SUCCESS"));
        waiting().until(ExpectedConditions.attributeToBe(By.id("st-fingerprint"), "value", sshd.fingerprint()));
        assertTrue(browser.findElement(By.id("st-test-result")).getText().contains("connection tested successfully"));

        new Select(browser.findElement(By.id("st-template"))).selectByValue("ldap");
        WebElement dc = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#st-template-values input")));
        int rowsBefore = browser.findElements(By.cssSelector("#st-mappings tr.st-mapping")).size();
        // the domain controller left empty: the page says what is missing and changes no row
        browser.findElement(By.id("st-template-apply")).click();
        WebElement refused = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("st-editor-error")));
        waiting().until(ExpectedConditions.textToBePresentInElement(refused, "template \"ldap\" needs"));
        assertEquals(rowsBefore, browser.findElements(By.cssSelector("#st-mappings tr.st-mapping")).size());
        dc.sendKeys("127.0.0.1");
        browser.findElement(By.id("st-template-apply")).click();
        WebElement ldap = waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#st-mappings tr.st-mapping[data-service='ldap']")));
        waiting().until(ExpectedConditions.invisibilityOf(refused));
        // the same template again: nothing to add, and the page says so
        int withLdap = browser.findElements(By.cssSelector("#st-mappings tr.st-mapping")).size();
        new Select(browser.findElement(By.id("st-template"))).selectByValue("ldap");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#st-template-values input"))).sendKeys("127.0.0.1");
        browser.findElement(By.id("st-template-apply")).click();
        waiting().until(ExpectedConditions.textToBePresentInElement(refused, "Nothing was added"));
        assertEquals(withLdap, browser.findElements(By.cssSelector("#st-mappings tr.st-mapping")).size());
        String ldapPort = ldap.findElement(By.className("st-local")).getAttribute("value");
        // hovering the row explains it (the server's explanation of the entry)
        waiting().until(ExpectedConditions.attributeContains(ldap, "title", ldapPort));
        assertEquals("389", ldap.findElement(By.className("st-remote")).getAttribute("value"));

        // the port the held tunnel has: flagged on the local port field, naming that tunnel
        WebElement local = ldap.findElement(By.className("st-local"));
        local.clear();
        local.sendKeys(String.valueOf(heldPort));
        WebElement finding = waiting().until(ExpectedConditions.presenceOfNestedElementLocatedBy(ldap,
                By.cssSelector(".st-finding-local [data-code='LOCAL_PORT_COLLISION']")));
        assertTrue(finding.getText(), finding.getText().contains("already used by tunnel \"held\""));
        local.clear();
        local.sendKeys(ldapPort);
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".st-finding-local [data-code='LOCAL_PORT_COLLISION']"), 0));
        // a gateway row: highlighted, with the third-party hint in the footer
        browser.findElement(By.id("st-add-mapping")).click();
        List<WebElement> rows = browser.findElements(By.cssSelector("#st-mappings tr.st-mapping"));
        WebElement gateway = rows.get(rows.size() - 1);
        new Select(gateway.findElement(By.className("st-kind"))).selectByValue("RG");
        gateway.findElement(By.className("st-local")).sendKeys("9100");
        gateway.findElement(By.className("st-remote")).sendKeys(String.valueOf(Net.freePort()));
        assertTrue(gateway.getAttribute("class").contains("st-gateway"));
        WebElement hint = browser.findElement(By.id("st-gateway-hint"));
        assertTrue(hint.isDisplayed());
        assertTrue(hint.getText(), hint.getText().contains("third-party access"));
        waiting().until(ExpectedConditions.presenceOfNestedElementLocatedBy(gateway,
                By.cssSelector("[data-code='GATEWAY_EXPOSURE']")));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", browser.findElement(By.id("st-editor")));
        screenshot(Path.of("target", "console.png"));
        // the picture of the page in docs/console.md, when asked for (-Ddocs.screenshot.dir=…/docs): each run has new ports and keys
        String docs = System.getProperty("docs.screenshot.dir", "");
        if (!docs.isBlank()) {
            screenshot(Path.of(docs, "console.png"));
        }
        // without the gateway (the SSH server here has no GatewayPorts), saved
        gateway.findElement(By.className("st-del")).click();
        assertFalse(browser.findElement(By.id("st-gateway-hint")).isDisplayed());
        // lead the mapping to the echo server, so that bytes prove it works
        WebElement remote = ldap.findElement(By.className("st-remote"));
        remote.clear();
        remote.sendKeys(String.valueOf(echo.port()));
        browser.findElement(By.id("st-save")).click();
        waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("st-editor")));
        waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it'][data-state='UP']")));
        int saved = Integer.parseInt(ldapPort);
        Await.until("bytes through the tunnel saved in the page", UI, () -> Net.echoes(saved));
        String json = felix.consoleGet("/system/console/sshtunnels.json");
        assertTrue(json, json.contains("\"fingerprint\":\"" + sshd.fingerprint() + "\""));

        // disabled, enabled again, deleted (after confirming)
        click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it'] .st-disable"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it'][data-state='DISABLED']")));
        Await.until("the disabled tunnel's listener gone", UI, () -> !Net.accepts("127.0.0.1", saved));
        click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it'] .st-enable"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it'][data-state='UP']")));
        click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it'] .st-delete"));
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-it']"), 0));
        Await.until("the deleted tunnel's listener gone", UI, () -> !Net.accepts("127.0.0.1", saved));
    }

    /**
     * A German operator (a browser that asks for German) makes an LDAP tunnel from the template and
     * meets the page in German: labels, the connection test, the findings at their fields while
     * typing (a collision, a row that cannot be read beside it, a port below 1024), which go when
     * fixed; saved, it comes up; the overview and the JSON give the reasons in German.
     */
    @Test
    public void aGermanOperatorMeetsThePageInGerman() throws Exception {
        WebDriver de = Chromium.start(work, "de-DE");
        try {
            germanOperator(de);
        } catch (RuntimeException | AssertionError e) {
            // what the operator saw, for the report
            Files.writeString(Path.of("target", "console-de-failure.html"), de.getPageSource());
            Files.write(Path.of("target", "console-de-failure.png"), ((org.openqa.selenium.TakesScreenshot) de).getScreenshotAs(OutputType.BYTES));
            throw e;
        } finally {
            de.quit();
        }
    }

    private void germanOperator(WebDriver de) throws Exception {
        {
            WebDriverWait wait = new WebDriverWait(de, UI);
            de.get("http://admin:" + felix.consolePassword() + "@127.0.0.1:" + port + "/system/console/sshtunnels");
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='held']")));
            String head = de.findElement(By.cssSelector("#st-tunnels thead")).getText();
            assertTrue(head, head.contains("Zustand") && head.contains("Grund") && head.contains("Nächster Versuch"));
            assertEquals("Neuer Tunnel", de.findElement(By.id("st-new")).getText());
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.findElement(
                    By.cssSelector("#st-tunnels tr.st-tunnel[data-name='held'] .st-owner")).getText().equals("(Administrator)"));
            assertTrue(de.findElement(By.id("st-count")).getText().endsWith(" Tunnel"));

            de.findElement(By.id("st-new")).click();
            WebElement editor = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("st-editor")));
            assertEquals("SSH-Server", editor.findElement(By.id("st-h-server")).getText());
            assertTrue(editor.findElement(By.id("st-password-note")).getText().contains("wenn Sie dieses Feld verlassen"));
            typeIn(de, "st-name", "ldap-de");
            typeIn(de, "st-host", "127.0.0.1");
            typeIn(de, "st-port", String.valueOf(sshd.port()));
            typeIn(de, "st-user", System.getProperty("user.name"));
            typeIn(de, "st-key", "keys/id_ed25519");
            wait.until(ExpectedConditions.attributeToBe(By.id("st-test-result"), "data-outcome", "SUCCESS"));
            String tested = de.findElement(By.id("st-test-result")).getText();
            assertTrue(tested, tested.contains("Verbindung erfolgreich getestet"));

            new Select(de.findElement(By.id("st-template"))).selectByValue("ldap");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#st-template-values input"))).sendKeys("127.0.0.1");
            de.findElement(By.id("st-template-apply")).click();
            WebElement ldap = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#st-mappings tr.st-mapping[data-service='ldap']")));
            String ldapPort = ldap.findElement(By.className("st-local")).getAttribute("value");

            // the held tunnel's port: German, at the local port field, naming that tunnel
            WebElement local = ldap.findElement(By.className("st-local"));
            local.clear();
            local.sendKeys(String.valueOf(heldPort));
            WebElement collision = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(ldap,
                    By.cssSelector(".st-finding-local [data-code='LOCAL_PORT_COLLISION']")));
            assertTrue(collision.getText(), collision.getText().contains("wird schon von Tunnel \"held\" verwendet"));
            assertTrue(local.getAttribute("class").contains("st-has-ERROR"));
            // a second row that cannot be read (port 70000): its finding at its port, the collision still in view
            de.findElement(By.id("st-add-mapping")).click();
            List<WebElement> rows = de.findElements(By.cssSelector("#st-mappings tr.st-mapping"));
            WebElement bad = rows.get(rows.size() - 1);
            bad.findElement(By.className("st-local")).sendKeys("70000");
            bad.findElement(By.className("st-remote")).sendKeys("389");
            bad.findElement(By.className("st-target")).sendKeys("127.0.0.1");
            WebElement unreadable = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(bad,
                    By.cssSelector(".st-finding-local [data-code='MAPPING_SYNTAX']")));
            assertTrue(unreadable.getText(), unreadable.getText().contains("hat port 70000, außerhalb von 1-65535"));
            assertTrue(bad.findElement(By.className("st-local")).getAttribute("class").contains("st-has-ERROR"));
            wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(ldap, By.cssSelector("[data-code='LOCAL_PORT_COLLISION']")));
            // a port below 1024 on this machine: German, at the field (an error, or a warning where this process may bind it)
            WebElement badLocal = bad.findElement(By.className("st-local"));
            badLocal.clear();
            badLocal.sendKeys("636");
            WebElement privileged = wait.until(ExpectedConditions.presenceOfNestedElementLocatedBy(bad,
                    By.cssSelector(".st-finding-local [data-code='PRIVILEGED_LOCAL_PORT']")));
            assertTrue(privileged.getText(), privileged.getText().contains("liegt unter 1024"));
            if (docsDir() != null) {
                ((JavascriptExecutor) de).executeScript("document.getElementById('st-editor').scrollTop = 0");
                Files.write(Path.of(docsDir(), "console-de.png"), ((org.openqa.selenium.TakesScreenshot) de).getScreenshotAs(OutputType.BYTES));
            }
            // fixed: the messages go with their causes
            bad.findElement(By.className("st-del")).click();
            local.clear();
            local.sendKeys(ldapPort);
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#st-editor .st-finding [data-code]"), 0));
            WebElement remote = ldap.findElement(By.className("st-remote"));
            remote.clear();
            remote.sendKeys(String.valueOf(echo.port()));
            de.findElement(By.id("st-save")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("st-editor")));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("st-message"), "Tunnel \"ldap-de\" gespeichert"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-de'][data-state='UP']")));
            int saved = Integer.parseInt(ldapPort);
            Await.until("bytes through the tunnel saved in German", UI, () -> Net.echoes(saved));

            // disabled: the reason in German on the page and in the JSON asked for in German, in English otherwise
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                d.findElement(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-de'] .st-disable")).click();
                return true;
            });
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-de'][data-state='DISABLED']")));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.findElement(
                    By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-de'] .st-reason")).getText().contains("deaktiviert"));
            String german = felix.consoleGet("/system/console/sshtunnels.json", "de-DE,de;q=0.9");
            assertTrue(german, german.contains("enabled ist false (deaktiviert)") && german.contains("Nur dieser Rechner erreicht"));
            // the Configuration Manager's form, from the same message files (Metatype localisation)
            String form = felix.consoleGet("/system/console/configMgr/io.sshtunnel.tunnel~held.json", "de-DE,de;q=0.9");
            assertTrue(form, form.contains("Benutzername") && form.contains("Eindeutige Bezeichnung des Tunnels"));
            String formEn = felix.consoleGet("/system/console/configMgr/io.sshtunnel.tunnel~held.json", "en-US");
            assertTrue(formEn, formEn.contains("User name") && !formEn.contains("Benutzername"));
            String english = felix.consoleGet("/system/console/sshtunnels.json", "en-US");
            assertTrue(english, english.contains("\"reason\":\"enabled is false\""));
            wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
                d.findElement(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-de'] .st-delete")).click();
                return true;
            });
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='ldap-de']"), 0));
        }
    }

    private static String docsDir() {
        String docs = System.getProperty("docs.screenshot.dir", "");
        return docs.isBlank() ? null : docs;
    }

    private static void typeIn(WebDriver d, String id, String text) {
        WebElement e = d.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /**
     * A fingerprint the operator knows, pasted as ssh-keygen -lf prints it: the page keeps the
     * SHA256 part and the test holds the server to it (another key is a mismatch, the right one is
     * "pinned"). On a narrow window the editor's fields stack and nothing runs off to the side.
     */
    @Test
    public void aPastedFingerprintIsReadAndTheTestIsHeldToItAndANarrowWindowStillFits() throws Exception {
        page();
        browser.findElement(By.id("st-new")).click();
        WebElement editor = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("st-editor")));
        type("st-name", "pasted");
        type("st-host", "127.0.0.1");
        type("st-port", String.valueOf(sshd.port()));
        type("st-user", System.getProperty("user.name"));
        type("st-key", "keys/id_ed25519");
        String other = "SHA256:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE";
        type("st-fingerprint", "256 " + other + " root@elsewhere (ED25519)");
        browser.findElement(By.id("st-name")).click(); // leaving the field
        waiting().until(ExpectedConditions.attributeToBe(By.id("st-fingerprint"), "value", other));
        waiting().until(ExpectedConditions.attributeToBe(By.id("st-test-result"), "data-outcome", "HOST_KEY_MISMATCH"));
        assertTrue(browser.findElement(By.id("st-test-result")).getText().contains(sshd.fingerprint()));
        type("st-fingerprint", "ED25519 key fingerprint is " + sshd.fingerprint() + ".");
        browser.findElement(By.id("st-name")).click();
        waiting().until(ExpectedConditions.attributeToBe(By.id("st-fingerprint"), "value", sshd.fingerprint()));
        waiting().until(ExpectedConditions.attributeToBe(By.id("st-test-result"), "data-outcome", "SUCCESS"));
        assertTrue(browser.findElement(By.id("st-test-result")).getText().contains("already trusted"));

        org.openqa.selenium.Dimension wide = browser.manage().window().getSize();
        try {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(560, 900));
            waiting().until(d -> {
                Object fits = ((JavascriptExecutor) d).executeScript(
                        "var e = document.getElementById('st-editor'); return e.scrollWidth <= e.clientWidth + 1"
                                + " && e.getBoundingClientRect().right <= window.innerWidth + 1;");
                return Boolean.TRUE.equals(fits);
            });
            WebElement label = browser.findElement(By.cssSelector("label[for='st-host']"));
            WebElement host = browser.findElement(By.id("st-host"));
            assertTrue("the label stands above its field", label.getRect().getY() + label.getRect().getHeight() <= host.getRect().getY() + 1);
        } finally {
            browser.manage().window().setSize(wide);
        }
        browser.findElement(By.id("st-cancel")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.invisibilityOf(editor));
    }

    /** A SOCKS mapping (D) in the editor: only a local port to fill; saved, it comes up and the overview shows it. */
    @Test
    public void aSocksMappingIsMadeInTheEditor() throws Exception {
        page();
        browser.findElement(By.id("st-new")).click();
        WebElement editor = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("st-editor")));
        type("st-name", "socks-page");
        type("st-host", "127.0.0.1");
        type("st-port", String.valueOf(sshd.port()));
        type("st-user", System.getProperty("user.name"));
        type("st-key", "keys/id_ed25519");
        WebElement row = browser.findElement(By.cssSelector("#st-mappings tr.st-mapping"));
        new Select(row.findElement(By.className("st-kind"))).selectByValue("D");
        assertFalse("a SOCKS row has no remote port", row.findElement(By.className("st-remote")).isDisplayed());
        assertFalse("nor a target", row.findElement(By.className("st-target")).isDisplayed());
        int socks = Net.freePort();
        row.findElement(By.className("st-local")).sendKeys(String.valueOf(socks));
        row.findElement(By.className("st-label")).sendKeys("intranet");
        waiting().until(ExpectedConditions.attributeContains(row, "title", "SOCKS proxy at 127.0.0.1:" + socks));
        browser.findElement(By.id("st-save")).click();
        waiting().until(ExpectedConditions.invisibilityOf(editor));
        waiting().until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#st-tunnels tr.st-tunnel[data-name='socks-page'][data-state='UP']")));
        String json = felix.consoleGet("/system/console/sshtunnels.json");
        assertTrue(json, json.contains("\"entry\":\"D " + socks + " # intranet\""));
        Await.until("the SOCKS port listening", UI, () -> Net.accepts("127.0.0.1", socks));
        click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='socks-page'] .st-delete"));
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='socks-page']"), 0));
    }

    @Test
    public void closingTheEditorWithUnsavedChangesAsksFirst() {
        page();
        browser.findElement(By.id("st-new")).click();
        WebElement editor = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("st-editor")));
        browser.findElement(By.id("st-cancel")).click(); // nothing typed: closes at once
        waiting().until(ExpectedConditions.invisibilityOf(editor));
        browser.findElement(By.id("st-new")).click();
        waiting().until(ExpectedConditions.visibilityOf(editor));
        type("st-name", "half-done");
        browser.findElement(By.id("st-cancel")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).dismiss(); // keep editing
        assertTrue(editor.isDisplayed());
        assertEquals("half-done", browser.findElement(By.id("st-name")).getAttribute("value"));
        browser.findElement(By.id("st-cancel")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept(); // drop the changes
        waiting().until(ExpectedConditions.invisibilityOf(editor));
    }

    @Test
    public void aModulesTunnelIsShownReadOnlyNamingItsModule() {
        page();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='directory']")));
        assertEquals("owned by module io.sshtunnel.itest.directory", cell("directory", ".st-owner"));
        assertTrue("no delete or disable for a module's tunnel", absent("directory", ".st-delete") && absent("directory", ".st-disable"));
        click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='directory'] .st-edit"));
        WebElement banner = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("st-readonly")));
        assertTrue(banner.getText(), banner.getText().contains("io.sshtunnel.itest.directory"));
        assertFalse(browser.findElement(By.id("st-host")).isEnabled());
        assertFalse(browser.findElement(By.id("st-save")).isDisplayed());
        for (WebElement input : browser.findElements(By.cssSelector("#st-mappings input"))) {
            assertFalse(input.isEnabled());
        }
    }

    /**
     * A server whose key changed: the tunnel is not let through; in the editor, "Reset fingerprint"
     * (confirmed) tests again and shows the new key, which is trusted only when accepted (confirmed
     * again) and saved.
     */
    @Test
    public void aChangedServerKeyIsAcceptedOnlyDeliberately() throws Exception {
        OpenSsh other = OpenSsh.start(work.resolve("sshd-other"), null);
        try {
            Files.copy(other.clientKey(), work.resolve("keys/other_ed25519"));
            Files.setPosixFilePermissions(work.resolve("keys/other_ed25519"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            int local = Net.freePort();
            String body = "{\"name\":\"rotating\",\"serverHost\":\"127.0.0.1\",\"serverPort\":\"" + other.port()
                    + "\",\"username\":\"" + System.getProperty("user.name") + "\",\"privateKeyPath\":\"keys/other_ed25519\","
                    + "\"mappings\":[\"L " + local + ":127.0.0.1:" + echo.port() + "\"]}";
            assertEquals(200, post("/save", body, felix.origin(), true));
            Await.until("bytes through the tunnel saved through the page's API", START, () -> Net.echoes(local));
            String old = other.fingerprint();
            Await.until("the key trusted on first use pinned", UI,
                    () -> felix.consoleGet("/system/console/sshtunnels.json").contains("\"fingerprint\":\"" + old + "\""));
            other.rotateHostKey();
            String fresh = other.fingerprint();

            page();
            click(By.cssSelector("#st-tunnels tr.st-tunnel[data-name='rotating'] .st-edit"));
            waiting().until(ExpectedConditions.attributeToBe(By.id("st-fingerprint"), "value", old));
            browser.findElement(By.id("st-fp-reset")).click();
            waiting().until(ExpectedConditions.alertIsPresent()).accept();
            waiting().until(ExpectedConditions.attributeToBe(By.id("st-test-result"), "data-outcome", "HOST_KEY_MISMATCH"));
            assertEquals("nothing is trusted by the test alone", "", browser.findElement(By.id("st-fingerprint")).getAttribute("value"));
            WebElement accept = browser.findElement(By.id("st-accept-key"));
            assertTrue(accept.getText(), accept.getText().contains(fresh));
            accept.click();
            waiting().until(ExpectedConditions.alertIsPresent()).accept();
            waiting().until(ExpectedConditions.attributeToBe(By.id("st-fingerprint"), "value", fresh));
            browser.findElement(By.id("st-save")).click();
            waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.id("st-editor")));
            Await.until("bytes through the tunnel again, to the server's new key", START, () -> Net.echoes(local));
            waiting().until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#st-tunnels tr.st-tunnel[data-name='rotating'][data-state='UP']")));
        } finally {
            other.close();
        }
    }

    /** The Status tab (inventory printer) and the JSON for scripts, in the language asked for. */
    @Test
    public void theStatusTabAndTheJsonShowTheSameTunnels() throws Exception {
        String text = felix.consoleGet("/system/console/status-sshtunnels.txt");
        assertTrue(text, text.contains("Tunnel held (io.sshtunnel.tunnel~held)") && text.contains("state:    UP since")
                && text.contains("L " + heldPort + ":127.0.0.1:" + echo.port() + " # " + LABEL + "  ACTIVE"));
        String printed = felix.consoleGet("/system/console/status-sshtunnels.json");
        assertTrue(printed, printed.contains("\"name\": \"held\"") && printed.contains("\"owner\": \"io.sshtunnel.itest.directory\""));
        String english = get("/system/console/sshtunnels.json", "en");
        String german = get("/system/console/sshtunnels.json", "de-DE,de;q=0.9");
        assertTrue(english, english.contains("\"state\":\"UP\"") && english.contains("\"passwordSet\":false"));
        assertFalse("the explanations follow Accept-Language", english.equals(german));
        for (String json : List.of(text, printed, english, german)) {
            assertFalse("no key material", json.contains("PRIVATE KEY"));
        }
    }

    private static String get(String path, String language) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + felix.consolePassword())
                        .getBytes(StandardCharsets.US_ASCII)))
                .header("Accept-Language", language).GET().build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 200, r.statusCode());
        return r.body();
    }

    /**
     * The logged-in browser visits a page of another site (another port is another origin) that
     * posts a form to the tunnels page, and one that tries a fetch with the page's header: the
     * form is refused with 403 by origin, the fetch never leaves the browser (its CORS preflight
     * gets no permission), and the tunnel is neither disabled nor deleted.
     */
    @Test
    public void aPageOfAnotherSiteCannotMakeTheLoggedInBrowserChangeATunnel() throws Exception {
        page(); // the browser holds the console's credentials and sends them with every request to it
        String target = "http://127.0.0.1:" + port + "/system/console/sshtunnels";
        String form = "<html><body><form id='f' method='POST' enctype='text/plain' action='" + target + "/disable'>"
                + "<input name='{\"id\":\"io.sshtunnel.tunnel~held\",\"x\":\"' value='\"}'></form>"
                + "<script>document.getElementById('f').submit();</script></body></html>";
        String fetch = "<html><body><script>fetch('" + target + "/delete', {method: 'POST', credentials: 'include',"
                + " headers: {'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json'},"
                + " body: JSON.stringify({id: 'io.sshtunnel.tunnel~held'})})"
                + ".then(function (r) { document.title = 'fetch: status ' + r.status; })"
                + ".catch(function (e) { document.title = 'fetch: blocked'; });</script></body></html>";
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 10);
        evil.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestURI().getPath().equals("/form") ? form : fetch).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        evil.start();
        try {
            String evilSite = "http://127.0.0.1:" + evil.getAddress().getPort();
            browser.get(evilSite + "/form");
            String answer = waiting().until(d -> d.getCurrentUrl().startsWith(target) ? d.findElement(By.tagName("body")).getText() : null);
            assertTrue("refused by origin, with the browser's credentials: " + answer, answer.contains("not from this console"));

            browser.get(evilSite + "/fetch");
            String outcome = waiting().until(d -> d.getTitle().startsWith("fetch:") ? d.getTitle() : null);
            assertEquals("the browser did not send it: no CORS permission for another site", "fetch: blocked", outcome);
        } finally {
            evil.stop(0);
        }
        com.google.gson.JsonObject held = tunnel("held");
        assertTrue("neither deleted nor disabled", held != null && held.get("enabled").getAsBoolean());
    }

    /** The named tunnel in sshtunnels.json, or null. */
    private static com.google.gson.JsonObject tunnel(String name) {
        String json = felix.consoleGet("/system/console/sshtunnels.json");
        for (com.google.gson.JsonElement t : com.google.gson.JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("tunnels")) {
            if (name.equals(t.getAsJsonObject().get("name").getAsString())) {
                return t.getAsJsonObject();
            }
        }
        return null;
    }

    /** Plain HTTP, as another site's page would make the browser send it. */
    @Test
    public void aForgedCrossSitePostIsRefused() throws Exception {
        String body = "{\"id\":\"io.sshtunnel.tunnel~held\"}";
        assertEquals("from another site, even with the header", 403, post("/delete", body, "https://evil.example", true));
        assertEquals("a form cannot set the header", 403, post("/delete", body, null, false));
        assertEquals("nor can a page of this console without it", 403, post("/disable", body, felix.origin(), false));
        com.google.gson.JsonObject held = tunnel("held");
        assertTrue("neither deleted nor disabled: " + held, held != null && held.get("enabled").getAsBoolean());
        assertEquals("the page's own request is answered", 200, post("/validate", body, felix.origin(), true));
    }

    private static int post(String action, String body, String origin, boolean header) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/system/console/sshtunnels" + action))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + felix.consolePassword())
                        .getBytes(StandardCharsets.US_ASCII)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (header) {
            b.header("X-Requested-With", "XMLHttpRequest");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
