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
import tools.jackson.databind.JsonNode;

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

    @Test
    void shouldChartTheFinishedJobsPerMinuteTheirRunTimesAndTheQueues() {
        String type = declare("chart", "[\"only\"]", "{\"max_attempts\": 1}");
        String worker = "chart-worker-" + type;
        for (int i = 0; i < 3; i++) {
            client.submit(type, "{}");
        }
        for (int i = 0; i < 3; i++) {
            JsonNode task = poll(worker, type);
            String attempt = "/api/jobs/" + task.get("job_id").asString() + "/attempts/" + task.get("attempt").asInt();
            var done = i < 2 ? client.postJson(attempt + "/complete", "{\"result\": {}}")
                    : client.postJson(attempt + "/fail", "{\"error\": \"broken input\", \"retryable\": false}");
            assertThat(done.status()).as(done.text()).isEqualTo(200);
        }
        String waiting1 = client.submit(type, "{}", "{\"priority\": 7}");
        String waiting2 = client.submit(type, "{}", "{\"priority\": 7}");
        String waiting3 = client.submit(type, "{}", "{\"priority\": -3}");

        browser.get(client.baseUrl() + "/#/activity");
        eventually().until(() -> new Select(browser.findElement(By.id("activity-type"))).getOptions().stream()
                .anyMatch(o -> type.equals(o.getAttribute("value"))));
        new Select(browser.findElement(By.id("activity-type"))).selectByValue(type);

        eventually().untilAsserted(() -> {
            WebElement total = browser.findElement(By.id("throughput-total"));
            assertThat(total.getAttribute("data-completed")).isEqualTo("2");
            assertThat(total.getAttribute("data-failed")).isEqualTo("1");
            assertThat(sumOf(By.cssSelector("#chart-throughput rect.completed"))).as("the completed bars add up").isEqualTo(2);
            assertThat(sumOf(By.cssSelector("#chart-throughput rect.failed"))).as("the failed bars add up").isEqualTo(1);
            assertThat(browser.findElements(By.cssSelector("#chart-throughput g.minute"))).hasSize(60);
        });
        eventually().untilAsserted(() -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#chart-durations g.duration-row"));
            assertThat(rows).extracting(r -> r.getAttribute("data-type")).containsExactly(type);
            WebElement row = rows.get(0);
            assertThat(row.getAttribute("data-count")).isEqualTo("3");
            double p50 = Double.parseDouble(row.getAttribute("data-p50"));
            double p95 = Double.parseDouble(row.getAttribute("data-p95"));
            assertThat(p95).isGreaterThanOrEqualTo(p50).isGreaterThanOrEqualTo(0);
            assertThat(row.findElement(By.cssSelector("text.duration-label")).getText()).contains("p50", "p95", "3 jobs");
        });
        eventually().untilAsserted(() -> {
            assertThat(browser.findElement(By.cssSelector("#queue-rows tr[data-type='" + type + "'][data-priority='7'] .pending"))
                    .getText()).isEqualTo("2");
            assertThat(browser.findElement(By.cssSelector("#queue-rows tr[data-type='" + type + "'][data-priority='-3'] .pending"))
                    .getText()).isEqualTo("1");
        });
        for (String id : List.of(waiting1, waiting2, waiting3)) {
            client.postJson("/api/jobs/" + id + "/cancel", "");
        }
    }

    @Test
    void shouldDrawOneGanttRowPerAttemptWithItsStages() {
        String type = declare("gantt", "[\"fetch\", \"encode\"]", "{\"max_attempts\": 2, \"backoff_ms\": 0}");
        String id = client.submit(type, "{}");
        JsonNode first = poll("gantt-worker-" + type, type);
        String attempt1 = "/api/jobs/" + id + "/attempts/1";
        assertThat(client.postJson(attempt1 + "/stages/1/complete", "{}").status()).isEqualTo(200);
        assertThat(client.postJson(attempt1 + "/fail", "{\"error\": \"encoder crashed\"}").status()).isEqualTo(200);
        JsonNode second = poll("gantt-worker-" + type, type);
        assertThat(second.get("attempt").asInt()).isEqualTo(2);
        assertThat(second.get("first_stage").asInt()).isEqualTo(2);
        assertThat(client.postJson("/api/jobs/" + id + "/attempts/2/complete", "{\"result\": {}}").status()).isEqualTo(200);
        eventually().until(() -> client.job(id).get("status").asString().equals("completed"));
        assertThat(first.get("attempt").asInt()).isEqualTo(1);

        browser.get(client.baseUrl() + "/#/jobs/" + id);

        eventually().untilAsserted(() -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#job-gantt g.gantt-row"));
            assertThat(rows).extracting(r -> r.getAttribute("data-attempt")).containsExactly("1", "2");
            assertThat(bars(rows.get(0))).containsExactly("fetch:done", "encode:failed");
            assertThat(bars(rows.get(1))).containsExactly("encode:done");
            assertThat(rows.get(0).findElement(By.cssSelector("text")).getText()).startsWith("Attempt 1");
        });
    }

    @Test
    void shouldListTheWorkersWithTheirTypesSlotsAndJobs() {
        String type = declare("workers", "[\"only\"]", "{\"max_attempts\": 1}");
        String worker = "dash-worker-" + type;
        String id = client.submit(type, "{}");
        JsonNode task = poll(worker, type);
        String attempt = "/api/jobs/" + id + "/attempts/" + task.get("attempt").asInt();

        browser.get(client.baseUrl() + "/#/workers");

        By row = By.cssSelector("#worker-rows tr[data-worker='" + worker + "']");
        eventually().untilAsserted(() -> {
            assertThat(client.postJson(attempt + "/heartbeat", "{}").status()).isEqualTo(200);
            List<WebElement> found = browser.findElements(row);
            assertThat(found).as("the worker's row").isNotEmpty();
            WebElement external = found.get(0);
            assertThat(external.findElement(By.cssSelector(".kind")).getText()).isEqualTo("external");
            assertThat(external.findElement(By.cssSelector(".status")).getText()).isEqualTo("active");
            assertThat(external.findElement(By.cssSelector(".types-cell")).getText()).isEqualTo(type);
            assertThat(external.findElement(By.cssSelector(".slot-count")).getText()).isEqualTo("1/1");
            assertThat(external.findElement(By.cssSelector(".worker-jobs a")).getAttribute("href")).endsWith("#/jobs/" + id);
            assertThat(external.findElement(By.cssSelector(".seen")).getText()).endsWith("ago");
        });
        WebElement inProcess = browser.findElement(By.cssSelector("#worker-rows tr[data-kind='in-process']"));
        assertThat(inProcess.findElement(By.cssSelector(".slot-count")).getText()).endsWith("/4");
        assertThat(inProcess.findElement(By.cssSelector(".types-cell")).getText()).contains("demo");

        assertThat(client.postJson(attempt + "/complete", "{\"result\": {}}").status()).isEqualTo(200);
        eventually().untilAsserted(() ->
                assertThat(browser.findElement(row).findElement(By.cssSelector(".status")).getText()).isEqualTo("idle"));
    }

    /** A job type of this test's own, run by the test as its external worker: nothing else counts its jobs. */
    private String declare(String prefix, String stagesJson, String optionsJson) {
        String type = prefix + "-" + Long.toHexString(System.nanoTime());
        var declared = client.send("/api/job-types/" + type, "PUT", "application/json",
                "{\"stages\": " + stagesJson + ", \"options\": " + optionsJson + "}");
        assertThat(declared.status()).as(declared.text()).isIn(200, 201);
        return type;
    }

    private JsonNode poll(String worker, String type) {
        var answer = client.postJson("/api/workers/poll",
                "{\"worker_id\": \"" + worker + "\", \"types\": [\"" + type + "\"], \"wait_ms\": 20000}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json();
    }

    private int sumOf(By bars) {
        return browser.findElements(bars).stream().mapToInt(b -> Integer.parseInt(b.getAttribute("data-count"))).sum();
    }

    private static List<String> bars(WebElement row) {
        return row.findElements(By.cssSelector("g.gantt-bar")).stream()
                .map(b -> b.getAttribute("data-stage") + ":" + b.getAttribute("data-state")).toList();
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
