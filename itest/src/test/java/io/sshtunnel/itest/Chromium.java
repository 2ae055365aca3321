package io.sshtunnel.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven through the installed chromedriver (nothing downloaded), with a profile of its own. */
final class Chromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Chromium() {
    }

    static void require() {
        Requirements.require(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
                "chromium and chromedriver (Debian: chromium chromium-driver; CI installs them)");
    }

    /** A browser in English with a new profile under {@code work}; the caller quits it. */
    static WebDriver start(Path work) throws IOException {
        return start(work, "en-US");
    }

    /** A browser in the language given (e.g. {@code de-DE}: it asks for German pages) with a new profile; the caller quits it. */
    static WebDriver start(Path work, String language) throws IOException {
        require();
        Path userData = Files.createTempDirectory(Files.createDirectories(work), "chromium-profile");
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(work.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1500,1100", "--lang=" + language, "--user-data-dir=" + userData);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language + "," + language.substring(0, 2)));
        return new ChromeDriver(service, options);
    }
}
