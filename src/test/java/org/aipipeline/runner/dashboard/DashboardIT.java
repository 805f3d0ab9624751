package org.aipipeline.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Level;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.RunnerDeployment;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.StartedNodes;
import org.aipipeline.runner.testing.TestNode;
import org.aipipeline.runner.testing.TestNodes;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard (issue 15, first pages) in a real browser: Debian's chromium, headless, through its
 * chromedriver, against the deployed WAR, the real broker and a test node. Screenshots of each page go
 * to {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String WORDS = "it-ui-words-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SLOW = "it-ui-slow-" + UUID.randomUUID().toString().substring(0, 8);
    private static StartedNodes nodes;
    private static WebDriver browser;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return RunnerDeployment.war();
    }

    @ArquillianResource
    URL url;

    @BeforeAll
    static void startBrowser() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are needed (.ci/run installs them)");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        options.setCapability("goog:loggingPrefs", logs);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    private WebElement visible(By by) {
        try {
            return waiting().until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (RuntimeException e) {
            try {
                screenshot("failure");
            } catch (IOException ignored) {
                // the assertion below says what matters
            }
            throw new AssertionError("Not on the page: " + by + "; the page says: " + ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.outerHTML") + "; browser log: " + browser.manage().logs().get("browser").getAll(), e);
        }
    }

    /** Follows an in-page link as a user would open it, without reloading the page. */
    private void go(String hash) {
        ((JavascriptExecutor) browser).executeScript("location.hash = arguments[0]", hash);
    }

    private void screenshot(String name) throws IOException {
        Path directory = Files.createDirectories(Path.of("target", "screenshots"));
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, directory.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void registerSeeTheNodeWatchARunLiveAndUploadAFile() throws Exception {
        Api api = new Api(url);
        Session starter = Session.register(api);
        nodes = StartedNodes.start(api, starter, TestNodes.wordProcessor(WORDS),
                TestNode.named(SLOW).procedure("slow", TestNodes.STRING, TestNodes.STRING, input -> {
                    try {
                        Thread.sleep(1500); // long enough to see the run Running, then turn green live
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return input;
                }));
        String user = "ui-" + UUID.randomUUID().toString().substring(0, 8);

        browser.get(url.toString());
        visible(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("correct horse battery staple");
        screenshot("1-login");
        browser.findElement(By.xpath("//button[text()='Register']")).click();
        visible(By.xpath("//h1[text()='Runs']"));
        assertTrue(browser.findElement(By.id("page")).getText().contains("0 run(s)"));

        // Navigate inside the page (the session lives in the page's memory: a reload logs out).
        browser.findElement(By.linkText("Nodes")).click();
        WebElement node = visible(By.xpath("//h2[contains(., '" + WORDS + "')]"));
        assertTrue(node.getText().contains("available"), node.getText());
        assertTrue(browser.findElement(By.id("page")).getText().contains("inputString: string"));
        screenshot("2-nodes");

        // Build a two-step pipeline in the browser: repeat-string, then the slow node; fill the generated form.
        browser.findElement(By.linkText("New run")).click();
        new Select(visible(By.id("step-0"))).selectByVisibleText(WORDS + " / repeat-string");
        browser.findElement(By.xpath("//button[text()='Add step']")).click();
        new Select(visible(By.id("step-1"))).selectByVisibleText(SLOW + " / slow");
        visible(By.id("input-inputString")).sendKeys("ab");
        browser.findElement(By.xpath("//input[@aria-label='include repetitionCount']")).click();
        browser.findElement(By.id("input-repetitionCount")).sendKeys("2");
        screenshot("3-new-run");
        browser.findElement(By.id("run")).click();
        visible(By.xpath("//h1[contains(., 'Running')]"));
        String pipelineId = ((JavascriptExecutor) browser).executeScript("return location.hash").toString()
                .substring("#/runs/".length());
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.className("timeline"), "step 1 succeeded"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.className("timeline"), "finished: Succeeded"));
        visible(By.xpath("//h1[contains(., 'Succeeded')]"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("page"), "abab"));
        screenshot("4-run");

        browser.findElement(By.linkText("Runs")).click();
        visible(By.xpath("//a[text()='" + pipelineId.substring(0, 8) + "']"));

        browser.findElement(By.linkText("Files")).click();
        Path upload = Files.writeString(Files.createTempFile("dashboard-", ".txt"), "uploaded from the dashboard");
        visible(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
        browser.findElement(By.xpath("//button[text()='Upload']")).click();
        visible(By.xpath("//td[text()='" + upload.getFileName() + "']"));
        screenshot("5-files");

        // An API key: shown once, then it works as the Authorization header; deleting it ends it.
        browser.findElement(By.linkText("API keys")).click();
        visible(By.id("key-name")).sendKeys("ci");
        browser.findElement(By.xpath("//button[text()='Create key']")).click();
        String key = visible(By.id("new-key")).getText();
        screenshot("6-keys");
        assertTrue(api.get("api/v1/Nodes", key).status() == 200, "the key shown works");
        browser.findElement(By.xpath("//td[text()='ci']/following-sibling::td/button[text()='Delete']")).click();
        visible(By.xpath("//p[text()='No API keys yet.']"));
        assertTrue(api.get("api/v1/Nodes", key).status() == 401, "a deleted key stops working");
    }
}
