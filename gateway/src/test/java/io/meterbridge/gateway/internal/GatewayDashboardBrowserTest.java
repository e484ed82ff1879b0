package io.meterbridge.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.gateway.Gateway;
import io.meterbridge.gateway.GatewayStatus;
import io.meterbridge.gateway.RecordState;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page of the gateway's dashboard in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, as for the server's dashboard test) against a seeded gateway: logs in
 * through the form, compares the numbers shown with the gateway's status, checks that the seeded
 * markup did not run, logs out, and saves a screenshot of each page under
 * {@code target/screenshots/}. Skips, saying why, only when chromium or chromedriver is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayDashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  Gateway gateway;
  WebDriver browser;
  String base;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "The gateway dashboard browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and "
            + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver; .ci/run installs them): skipped");
    Files.createDirectories(SCREENSHOTS);
    gateway = GatewayDashboardHttpTest.seeded(Files.createDirectories(dir.resolve("data")));
    base = "http://127.0.0.1:" + gateway.port().orElseThrow();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  @Order(1)
  void login_refusesAWrongToken_thenTheRightOneOpensTheRecords() {
    browser.get(base + "/ui/");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    screenshot("gateway-login");
    browser.findElement(By.id("token")).sendKeys("not-the-admin-token");
    clickAndWait(By.id("login"));
    assertThat(text("login-error")).contains("not the admin token");

    browser.findElement(By.id("token")).sendKeys(GatewayDashboardHttpTest.ADMIN);
    clickAndWait(By.id("login"));

    assertThat(browser.getCurrentUrl()).endsWith("/ui/").doesNotContain("token");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Records by state");
  }

  @Test
  @Order(2)
  void recordsPage_showsTheStatusCounts_inCardsAndChart() {
    browser.get(base + "/ui/");
    GatewayStatus status = gateway.status();
    long total = 0;
    for (RecordState state : RecordState.values()) {
      assertThat(text("count-" + state.wireName())).as(state.wireName()).isEqualTo(Long.toString(status.count(state)));
      total += status.count(state);
    }
    long bars = 0;
    for (WebElement bar : browser.findElement(By.id("states-chart")).findElements(By.cssSelector("rect.bar"))) {
      bars += Long.parseLong(bar.getAttribute("data-value"));
    }
    assertThat(bars).isEqualTo(total).isEqualTo(3);
    assertThat(text("alerts")).isEqualTo(Long.toString(status.alerts()));
    screenshot("gateway-records");
  }

  @Test
  @Order(3)
  void deadlinesPage_listsTheRecordsAtRisk_andTheMarkupInACustomerIsText() {
    clickAndWait(By.id("nav-deadlines"));
    assertThat(text("at-risk-count")).isEqualTo("2");
    List<WebElement> rows = browser.findElement(By.id("at-risk")).findElements(By.cssSelector("tbody tr"));
    assertThat(rows).hasSize(2);
    assertThat(browser.findElement(By.id("at-risk")).getText()).contains(GatewayDashboardHttpTest.XSS_CUSTOMER);
    Object scripts = ((JavascriptExecutor) browser).executeScript("return document.querySelectorAll('script').length");
    assertThat(scripts).isEqualTo(0L);
    screenshot("gateway-deadlines");
  }

  @Test
  @Order(4)
  void errorsAndQuotaPages_showTheUpstreamCallsAndTheQuota() {
    clickAndWait(By.id("nav-errors"));
    assertThat(text("upstream-calls")).isEqualTo("0");
    assertThat(text("upstream-failed")).isEqualTo("0");
    screenshot("gateway-errors");

    clickAndWait(By.id("nav-quota"));
    assertThat(text("quota-per-second")).isEqualTo("7");
    assertThat(text("quota-in-use")).isEqualTo("0");
    screenshot("gateway-quota");
  }

  @Test
  @Order(5)
  void logout_endsTheSession() {
    clickAndWait(By.id("logout"));
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    browser.get(base + "/ui/quota");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
  }

  /** Clicks what submits a form or follows a link, and waits until the next page has replaced this one. */
  private void clickAndWait(By by) {
    WebElement page = browser.findElement(By.tagName("html"));
    browser.findElement(by).click();
    // The old page is gone once asking about its root fails: Chromium says so either as a stale
    // element or, while the new document loads, as "Node ... does not belong to the document".
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> {
      try {
        page.isEnabled();
        return false;
      } catch (org.openqa.selenium.WebDriverException gone) {
        return true;
      }
    });
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private void screenshot(String name) {
    File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    try {
      Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
