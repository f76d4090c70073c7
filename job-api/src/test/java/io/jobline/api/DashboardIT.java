package io.jobline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;

import io.jobline.api.support.ServiceClient;
import io.jobline.api.support.SharedService;

/**
 * The dashboard in headless Chromium from Debian (chromium, chromium-driver), as a person would use it. Outside CI,
 * where no Chromium is installed, it is skipped with a printed reason; in CI its absence is a failure.
 */
@ExtendWith(SharedService.class)
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static WebDriver browser;
    private final ServiceClient client = SharedService.client();

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            fail("Chromium and ChromeDriver are missing in CI; .ci/run installs them (apt-get install chromium chromium-driver)");
        }
        if (!installed) {
            System.out.println("DashboardIT skipped: no Chromium at " + CHROMIUM + " or no ChromeDriver at " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver to run it)");
        }
        Assumptions.assumeTrue(installed, "Chromium not installed");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("jobline-chromium"), "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void openDashboard() {
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get(client.baseUrl() + "/#/");
        eventually().until(() -> browser.findElement(By.id("live")).getText().equals("live"));
    }

    @AfterEach
    void noErrorsInTheConsole() {
        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Test
    void shouldServeThePageUnderAPolicyThatRunsOnlyItsOwnFilesAndNeverInAFrame() {
        var page = client.get("/");

        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
    }

    @Test
    void shouldSubmitADemoJobFromTheFormAndWatchItsBarReach100() {
        new Select(browser.findElement(By.id("submit-type"))).selectByValue("demo");
        WebElement input = browser.findElement(By.id("submit-input"));
        input.clear();
        input.sendKeys("{\"stages\": 3, \"stage_ms\": 900}");
        browser.findElement(By.id("submit-button")).click();

        WebElement submitted = eventually().until(
                () -> browser.findElements(By.cssSelector("#submit-result a")), links -> !links.isEmpty()).get(0);
        String id = submitted.getAttribute("href").replaceAll(".*#/jobs/", "");
        By bar = By.cssSelector("tr[data-id='" + id + "'] .bar");

        List<Integer> seen = new ArrayList<>();
        eventually().pollInterval(Duration.ofMillis(100)).until(() -> {
            List<WebElement> bars = browser.findElements(bar);
            if (bars.isEmpty()) {
                return false;
            }
            seen.add(Integer.parseInt(bars.get(0).getAttribute("aria-valuenow")));
            return seen.get(seen.size() - 1) == 100;
        });

        assertThat(seen).as("the bar moved through " + seen).anyMatch(p -> p > 0 && p < 100).isSorted();
        eventually().until(() -> statusOf(id).equals("completed"));
        eventually().until(() -> !browser.findElement(By.cssSelector("#counts [data-status='completed']")).getText().endsWith(" 0"));
        eventually().untilAsserted(() ->
                assertThat(browser.findElement(By.cssSelector("#types [data-type='demo']")).getText()).contains("success"));
    }

    @Test
    void shouldCancelARunningJobFromTheTableAndRetryIt() {
        String id = client.submit("demo", "{\"stages\": 5, \"stage_ms\": 3000}");
        eventually().until(() -> statusOf(id).equals("running"));

        eventually().until(() -> {
            browser.findElement(By.cssSelector("tr[data-id='" + id + "'] button[data-action='cancel']")).click();
            return true;
        });

        eventually().until(() -> statusOf(id).equals("cancelled"));
        eventually().untilAsserted(() ->
                assertThat(browser.findElements(By.cssSelector("tr[data-id='" + id + "'] button[data-action='cancel']"))).isEmpty());

        eventually().until(() -> {
            browser.findElement(By.cssSelector("tr[data-id='" + id + "'] button[data-action='retry']")).click();
            return true;
        });
        eventually().until(() -> statusOf(id).equals("running"));
        assertThat(client.job(id).get("attempt").asInt()).isEqualTo(2);
        client.postJson("/api/jobs/" + id + "/cancel", "");
    }

    @Test
    void shouldOpenAJobPageWithStagesResultAndTimeline() {
        String id = client.submit("demo", "{\"stages\": 2, \"stage_ms\": 200}");
        eventually().until(() -> client.job(id).get("status").asString().equals("completed"));

        eventually().until(() -> !browser.findElements(By.cssSelector("tr[data-id='" + id + "'] a.job-link")).isEmpty());
        eventually().until(() -> {
            browser.findElement(By.cssSelector("tr[data-id='" + id + "'] a.job-link")).click();
            return true;
        });

        eventually().until(() -> !browser.findElements(By.cssSelector("#job-timeline li[data-type='JobCompleted']")).isEmpty());
        eventually().untilAsserted(() -> {
            List<String> timeline = browser.findElements(By.cssSelector("#job-timeline li")).stream()
                    .map(li -> li.getAttribute("data-type")).toList();
            assertThat(timeline).startsWith("JobSubmitted", "JobStarted").endsWith("JobCompleted").contains("ProgressReported");
            assertThat(browser.findElements(By.cssSelector("#job-stages li.stage-done"))).hasSize(2);
            assertThat(browser.findElement(By.id("job-result")).getText()).contains("\"stages_completed\": 2");
            assertThat(browser.findElement(By.id("job-status")).getText()).isEqualTo("completed");
        });
    }

    @Test
    void shouldFitAPhoneSizedScreen() {
        client.submit("demo", "{\"stages\": 1, \"stage_ms\": 0}");
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        eventually().until(() -> !browser.findElements(By.cssSelector("#job-rows tr[data-id]")).isEmpty());

        JavascriptExecutor js = (JavascriptExecutor) browser;
        long overflow = (Long) js.executeScript("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow).as("horizontal overflow in px").isLessThanOrEqualTo(0);
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("keep running");
    }

    /** Rows are replaced on every live update, so an element found a moment ago may be gone: look again. */
    private static org.awaitility.core.ConditionFactory eventually() {
        return await().atMost(WAIT).ignoreExceptionsInstanceOf(StaleElementReferenceException.class);
    }

    private String statusOf(String id) {
        List<WebElement> badges = browser.findElements(By.cssSelector("tr[data-id='" + id + "'] .status"));
        return badges.isEmpty() ? "" : badges.get(0).getText();
    }
}
