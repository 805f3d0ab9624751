package org.aipipeline.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.aipipeline.runner.apscheme.ApString;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard (issue 15) in a real browser: Debian's chromium, headless, through its
 * chromedriver, against the deployed WAR, the real broker and a test node. Screenshots of each page go
 * to {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String WORDS =
            "it-ui-words-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SLOW =
            "it-ui-slow-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String FLAKY =
            "it-ui-flaky-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Path DOWNLOADS =
            Path.of("target", "dashboard-downloads").toAbsolutePath();
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
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are needed (.ci/run installs them)");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toString())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        options.setCapability("goog:loggingPrefs", logs);
        options.setExperimentalOption(
                "prefs",
                Map.of("download.default_directory", DOWNLOADS.toString(), "download.prompt_for_download", false));
        browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .build(),
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
            throw new AssertionError(
                    "Not on the page: " + by + "; the page says: "
                            + ((JavascriptExecutor) browser).executeScript("return document.documentElement.outerHTML")
                            + "; browser log: "
                            + browser.manage().logs().get("browser").getAll(),
                    e);
        }
    }

    private String hash() {
        return ((JavascriptExecutor) browser)
                .executeScript("return location.hash")
                .toString();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
    void registerBuildRunWatchCancelRerunBatchAndUseFilesAndKeys() throws Exception {
        Api api = new Api(url);
        Session starter = Session.register(api);
        AtomicInteger flakyCalls = new AtomicInteger();
        nodes = StartedNodes.start(
                api,
                starter,
                TestNodes.wordProcessor(WORDS),
                TestNode.named(SLOW).procedure("slow", TestNodes.STRING, TestNodes.STRING, input -> {
                    // long enough to see the run Running, then turn green live; "linger" waits to be cancelled
                    pause("linger".equals(((ApString) input).value()) ? 20_000 : 1500);
                    return input;
                }),
                TestNode.named(FLAKY).procedure("flaky", TestNodes.STRING, TestNodes.STRING, input -> {
                    if (flakyCalls.incrementAndGet() == 1) {
                        throw new TestNode.Failure(500, "the first call fails");
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
        // The builder asks the runner at each change whether the chain fits: a string into an object does not.
        new Select(visible(By.id("step-1"))).selectByVisibleText(WORDS + " / repeat-string");
        waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("fit-1"), "does not fit the input of"));
        new Select(visible(By.id("step-1"))).selectByVisibleText(SLOW + " / slow");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("fit-1"), "fits this step's input"));
        visible(By.id("input-inputString")).sendKeys("ab");
        browser.findElement(By.xpath("//input[@aria-label='include repetitionCount']"))
                .click();
        browser.findElement(By.id("input-repetitionCount")).sendKeys("2");
        screenshot("3-new-run");
        browser.findElement(By.id("run")).click();
        visible(By.xpath("//h1[contains(., 'Running')]"));
        String pipelineId = hash().substring("#/runs/".length());
        waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.className("timeline"), "step 1 succeeded"));
        waiting()
                .until(ExpectedConditions.textToBePresentInElementLocated(
                        By.className("timeline"), "finished: Succeeded"));
        visible(By.xpath("//h1[contains(., 'Succeeded')]"));
        // results as trees: step 2's string, with its type
        visible(By.xpath(
                "//ul[@class='tree']//li[contains(., 'step 2') and contains(., 'abab') and contains(., 'string')]"));
        screenshot("4-run");

        // Awaited: the page waits for the result and opens the finished run.
        go("#/new");
        new Select(visible(By.id("step-0"))).selectByVisibleText(WORDS + " / repeat-string");
        visible(By.id("input-inputString")).sendKeys("awaited");
        browser.findElement(By.id("mode-awaited")).click();
        browser.findElement(By.id("run")).click();
        visible(By.xpath("//h1[contains(., 'Succeeded')]"));
        visible(By.xpath("//ul[@class='tree']//li[contains(., 'awaited')]"));

        // A batch from a CSV file: one run per row, a progress bar that fills live.
        Path csv = Files.writeString(
                Files.createTempFile("batch-", ".csv"), "inputString,repetitionCount\nx,2\ny,\n\"z,z\",3\n");
        go("#/new");
        new Select(visible(By.id("step-0"))).selectByVisibleText(WORDS + " / repeat-string");
        browser.findElement(By.id("mode-batch")).click();
        visible(By.id("batch-file")).sendKeys(csv.toString());
        browser.findElement(By.id("run")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("batch-counts"), "3 succeeded"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("batch-state"), "finished"));
        assertEquals("3", visible(By.id("batch-progress")).getAttribute("value"));
        screenshot("7-batch");

        // Cancel a slow run from its page.
        go("#/new");
        new Select(visible(By.id("step-0"))).selectByVisibleText(SLOW + " / slow");
        visible(By.id("input")).sendKeys("linger");
        browser.findElement(By.id("run")).click();
        visible(By.xpath("//h1[contains(., 'Running')]"));
        browser.findElement(By.xpath("//button[text()='Cancel']")).click();
        visible(By.xpath("//h1[contains(., 'Cancelled')]"));

        // Re-run a failed run: the preview says what runs, the re-run succeeds (the node fails only once).
        go("#/new");
        new Select(visible(By.id("step-0"))).selectByVisibleText(FLAKY + " / flaky");
        visible(By.id("input")).sendKeys("second time lucky");
        browser.findElement(By.id("run")).click();
        visible(By.xpath("//h1[contains(., 'Failed')]"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("page"), "the first call fails"));
        String failedHash = hash();
        browser.findElement(By.xpath("//button[text()='Preview re-run']")).click();
        visible(By.xpath("//p[text()='The re-run can start.']"));
        screenshot("8-rerun-preview");
        browser.findElement(By.xpath("//button[text()='Re-run']")).click();
        waiting().until(driver -> !hash().equals(failedHash));
        visible(By.xpath("//h1[contains(., 'Succeeded')]"));
        visible(By.xpath("//p[contains(., 're-run of')]"));

        browser.findElement(By.linkText("Runs")).click();
        visible(By.xpath("//a[text()='" + pipelineId.substring(0, 8) + "']"));

        browser.findElement(By.linkText("Files")).click();
        visible(By.xpath("//p[contains(., 'Drop a file here') and contains(., 'up to')]"));
        Path upload = Files.writeString(Files.createTempFile("dashboard-", ".txt"), "uploaded from the dashboard");
        visible(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
        browser.findElement(By.xpath("//button[text()='Upload']")).click();
        visible(By.xpath("//td[text()='" + upload.getFileName() + "']"));
        screenshot("5-files");
        Files.createDirectories(DOWNLOADS);
        Path downloaded = DOWNLOADS.resolve(upload.getFileName().toString());
        Files.deleteIfExists(downloaded);
        browser.findElement(By.xpath(
                        "//td[text()='" + upload.getFileName() + "']/following-sibling::td/button[text()='Download']"))
                .click();
        waiting().until(driver -> Files.exists(downloaded));
        waiting().until(driver -> {
            try {
                return "uploaded from the dashboard".equals(Files.readString(downloaded));
            } catch (IOException e) {
                return false;
            }
        });

        // An API key: shown once, then it works as the Authorization header; deleting it ends it.
        browser.findElement(By.linkText("API keys")).click();
        visible(By.id("key-name")).sendKeys("ci");
        browser.findElement(By.xpath("//button[text()='Create key']")).click();
        String key = visible(By.id("new-key")).getText();
        screenshot("6-keys");
        assertTrue(api.get("api/v1/Nodes", key).status() == 200, "the key shown works");
        browser.findElement(By.xpath("//td[text()='ci']/following-sibling::td/button[text()='Delete']"))
                .click();
        visible(By.xpath("//p[text()='No API keys yet.']"));
        assertTrue(api.get("api/v1/Nodes", key).status() == 401, "a deleted key stops working");

        // Usable on a phone: at 375 px no page scrolls sideways.
        browser.manage().window().setSize(new Dimension(375, 800));
        for (String page : new String[] {"#/runs", "#/new", "#/nodes", "#/files", "#/keys", failedHash}) {
            go(page);
            visible(By.tagName("h1"));
            Number width = (Number)
                    ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollWidth");
            Number viewport = (Number) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
            assertTrue(
                    width.intValue() <= viewport.intValue(), page + " is " + width + " px wide at " + viewport + " px");
        }
        screenshot("9-narrow-run");
    }
}
