package io.meterbridge.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterbridge.server.seed.DemoCatalog;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * Every dashboard page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs) against a seeded server: logs in through the form, compares the
 * numbers shown with what the admin API answers, downloads the usage CSV, changes the clock and the
 * faults through the forms, checks that no seeded markup ran, and saves a screenshot of each page
 * under {@code target/screenshots/}. Skips, saying why, only when chromium or chromedriver is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  Path downloads;
  SeededServer seeded;
  WebDriver browser;

  @BeforeAll
  void start(@TempDir Path dir) throws IOException {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "The dashboard browser test needs Debian's chromium and chromedriver at " + CHROMIUM + " and "
            + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver; .ci/run installs them): skipped");
    Files.createDirectories(SCREENSHOTS);
    downloads = Files.createDirectories(dir.resolve("downloads"));
    seeded = new SeededServer(Files.createDirectories(dir.resolve("data")));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1000",
        "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
    Map<String, Object> prefs = new HashMap<>();
    prefs.put("download.default_directory", downloads.toString());
    prefs.put("download.prompt_for_download", false);
    options.setExperimentalOption("prefs", prefs);
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
    if (seeded != null) {
      seeded.close();
    }
  }

  @Test
  @Order(1)
  void login_refusesAWrongToken_thenTheRightOneOpensTheOverview() {
    open("/ui/");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    screenshot("login");
    browser.findElement(By.id("token")).sendKeys("not-the-admin-token");
    clickAndWait(By.id("login"));
    assertThat(text("login-error")).contains("not the admin token");
    assertThat(browser.getCurrentUrl()).doesNotContain("token=");

    logIn();

    assertThat(browser.getCurrentUrl()).endsWith("/ui/");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
  }

  @Test
  @Order(2)
  void overview_showsTheStoreCountsAndTheRecordsOfTheLastHour() {
    open("/ui/");
    JsonNode stats = seeded.admin("GET", "/admin/stats", null);
    assertThat(text("stat-batchRecords")).isEqualTo(stats.path("batchRecords").asText());
    assertThat(text("stat-products")).isEqualTo(stats.path("products").asText());
    assertThat(text("stat-accounts")).isEqualTo(stats.path("accounts").asText());
    assertThat(text("records-last-hour")).isEqualTo(Integer.toString(SeededServer.USERS.length + 1));
    assertThat(barSum("records-chart")).isEqualTo(SeededServer.USERS.length + 1);
    // One BatchMeterUsage call seeded them; the audit trail counts it, as the API lists it.
    assertThat(text("calls-last-hour")).isEqualTo(Integer.toString(
        seeded.admin("GET", "/admin/audit?operation=BatchMeterUsage", null).path("entries").size()));
    assertThat(text("throttles-last-hour")).isEqualTo("0");
    screenshot("overview");
  }

  @Test
  @Order(3)
  void usageExplorer_drillsDownProductCustomerDimension_andMatchesTheReport() {
    open("/ui/usage");
    JsonNode byProduct = seeded.admin("GET", "/admin/reports/usage?groupBy=product", null).path("rows");
    Map<String, String> shown = tableColumn("usage-table", 1);
    assertThat(byProduct).isNotEmpty();
    for (JsonNode row : byProduct) {
      assertThat(shown).containsEntry(row.path("productCode").asText(), row.path("quantity").asText());
    }
    long total = 0;
    for (int quantity : SeededServer.USERS) {
      total += quantity;
    }
    total += SeededServer.XSS_QUANTITY;
    assertThat(text("usage-total")).isEqualTo(Long.toString(total));
    assertThat(barSum("usage-chart")).isEqualTo(total);
    screenshot("usage-products");

    clickAndWait(By.linkText(DemoCatalog.SAAS_PRODUCT));
    assertThat(tableColumn("usage-table", 1)).containsEntry(DemoCatalog.BUYER_ACCOUNT_ID,
        Long.toString(total - SeededServer.XSS_QUANTITY)).containsEntry(SeededServer.XSS_ACCOUNT,
        Integer.toString(SeededServer.XSS_QUANTITY));
    clickAndWait(By.linkText(SeededServer.XSS_ACCOUNT));
    // The dimension that tries to inject an image with a script is shown as text, and ran nothing.
    assertThat(tableColumn("usage-table", 1)).containsOnlyKeys(SeededServer.XSS_DIMENSION);
    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
    screenshot("usage-dimensions");

    clickAndWait(By.linkText(DemoCatalog.SAAS_PRODUCT));
    browser.findElement(By.id("usage-csv")).click(); // a download: the page stays
    Path csv = awaitDownload();
    String downloaded = read(csv);
    assertThat(downloaded).startsWith("usage_hour,product_code,customer_account_id,dimension_key,usage_quantity,record_count");
    String fromApi = seeded.adminRaw("GET", "/admin/reports/usage?groupBy=hour,product,customer,dimension&format=csv"
        + "&productCode=" + DemoCatalog.SAAS_PRODUCT, null).body();
    assertThat(downloaded.lines().toList()).containsExactlyInAnyOrderElementsOf(fromApi.lines().toList());
    assertThat(downloaded.lines().count()).isEqualTo(SeededServer.USERS.length + 2);
  }

  @Test
  @Order(4)
  void auditPage_listsTheSeedingCalls_andFiltersThemByOperation() {
    open("/ui/audit");
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Audit trail");
    screenshot("audit");
    WebElement operation = browser.findElement(By.id("f-operation"));
    operation.sendKeys("BatchMeterUsage");
    clickAndWait(By.id("audit-show"));
    JsonNode entries = seeded.admin("GET", "/admin/audit?operation=BatchMeterUsage", null).path("entries");
    List<WebElement> rows = browser.findElement(By.id("audit")).findElements(By.cssSelector("tbody tr"));
    assertThat(entries).hasSize(1);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getText()).contains(entries.get(0).path("requestId").asText())
        .contains(Integer.toString(SeededServer.USERS.length + 1)).contains("200");
  }

  @Test
  @Order(5)
  void catalog_listsProductsAccountsSubscriptionsTokensAndKeys_asText() {
    open("/ui/catalog");
    JsonNode products = seeded.admin("GET", "/admin/products", null).path("products");
    Map<String, String> shown = tableColumn("products", 1);
    assertThat(shown).hasSize(products.size());
    for (JsonNode p : products) {
      assertThat(shown).containsEntry(p.path("productCode").asText(), p.path("type").asText());
    }
    assertThat(tableColumn("accounts", 1)).containsEntry(SeededServer.XSS_ACCOUNT, SeededServer.XSS);
    WebElement saas = browser.findElement(By.id("product-" + DemoCatalog.SAAS_PRODUCT));
    assertThat(saas.findElement(By.className("subscriptions")).getText()).contains(SeededServer.XSS_DIMENSION);
    assertThat(saas.findElement(By.className("tokens")).getText()).contains(SeededServer.XSS_ACCOUNT);
    WebElement container = browser.findElement(By.id("product-" + DemoCatalog.CONTAINER_PRODUCT));
    assertThat(container.findElement(By.className("keys")).getText()).contains("yes");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
    screenshot("catalog");
  }

  @Test
  @Order(6)
  void faultsAndClock_formsChangeWhatTheApiAnswers() {
    open("/ui/faults");
    WebElement seconds = browser.findElement(By.id("shift-seconds"));
    seconds.clear();
    seconds.sendKeys("7200");
    clickAndWait(By.id("shift"));
    assertThat(seeded.admin("GET", "/admin/clock", null).path("offsetSeconds").asDouble()).isBetween(7190.0, 7210.0);
    assertThat(text("clock-offset")).startsWith("PT2H");

    WebElement plan = browser.findElement(By.id("plan"));
    plan.clear();
    plan.sendKeys("{\"rules\":[{\"operation\":\"MeterUsage\",\"kind\":\"throttle\",\"count\":3}],\"seed\":7}");
    clickAndWait(By.id("set-faults"));
    JsonNode faults = seeded.admin("GET", "/admin/faults", null);
    assertThat(faults.path("rules")).hasSize(1);
    assertThat(text("fault-seed")).isEqualTo("7");
    assertThat(tableColumn("faults", 1)).containsEntry("MeterUsage", "throttle");
    screenshot("faults");

    plan = browser.findElement(By.id("plan"));
    plan.clear();
    plan.sendKeys("{\"rules\":[{\"operation\":\"MeterUsage\",\"kind\":\"slow\",\"count\":3}]}");
    clickAndWait(By.id("set-faults"));
    assertThat(text("change-error")).contains("rules[0].kind");
    assertThat(seeded.admin("GET", "/admin/faults", null).path("rules")).hasSize(1);

    clickAndWait(By.id("clear-faults"));
    clickAndWait(By.id("reset"));
    assertThat(seeded.admin("GET", "/admin/faults", null).path("rules")).isEmpty();
    assertThat(Math.abs(seeded.admin("GET", "/admin/clock", null).path("offsetSeconds").asDouble())).isLessThan(5);
  }

  @Test
  @Order(7)
  void logout_endsTheSession() {
    open("/ui/");
    clickAndWait(By.id("logout"));
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    open("/ui/catalog");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
  }

  private void logIn() {
    browser.findElement(By.id("token")).sendKeys(SeededServer.TOKEN);
    clickAndWait(By.id("login"));
  }

  private void open(String path) {
    browser.get(seeded.endpoint().resolve(path).toString());
    if (browser.getCurrentUrl().endsWith("/ui/login") && !path.equals("/ui/") && !path.equals("/ui/catalog")) {
      logIn();
      browser.get(seeded.endpoint().resolve(path).toString());
    }
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

  /** The first column of a table's body rows mapped to column {@code column} (0-based). */
  private Map<String, String> tableColumn(String tableId, int column) {
    Map<String, String> values = new HashMap<>();
    for (WebElement row : browser.findElement(By.id(tableId)).findElements(By.cssSelector("tbody tr"))) {
      List<WebElement> cells = row.findElements(By.tagName("td"));
      if (cells.size() > column) {
        values.put(cells.get(0).getText(), cells.get(column).getText());
      }
    }
    return values;
  }

  private long barSum(String chartId) {
    long sum = 0;
    for (WebElement bar : browser.findElement(By.id(chartId)).findElements(By.cssSelector("rect.bar"))) {
      sum += Long.parseLong(bar.getAttribute("data-value"));
    }
    return sum;
  }

  private Path awaitDownload() {
    return new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> {
      try (Stream<Path> files = Files.list(downloads)) {
        return files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
