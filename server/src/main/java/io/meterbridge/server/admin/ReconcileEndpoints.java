package io.meterbridge.server.admin;

import io.meterbridge.server.ServerClock;
import io.meterbridge.server.catalog.CatalogRules;
import io.meterbridge.server.catalog.JsonInput;
import io.meterbridge.server.http.PlainRequest;
import io.meterbridge.server.http.PlainResponse;
import io.meterbridge.server.reconcile.FeedException;
import io.meterbridge.server.reconcile.Reconciler;
import io.meterbridge.server.reconcile.Reconciliation;
import io.meterbridge.server.store.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/reconcile}: a Daily Usage data feed file (the body, CSV) compared with the
 * stored records; see {@link Reconciler}. The feed's product ids and agreement ids are mapped to
 * ours with repeated query parameters {@code product=ID=CODE} and {@code agreement=ID=LICENSE_ARN}.
 */
final class ReconcileEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final Set<String> QUERY = Set.of("product", "agreement");

  private final Store store;
  private final ServerClock clock;

  ReconcileEndpoints(Store store, ServerClock clock) {
    this.store = store;
    this.clock = clock;
  }

  PlainResponse reconcile(PlainRequest request) {
    JsonInput.Problems problems = new JsonInput.Problems();
    for (String name : request.queryNames()) {
      if (!QUERY.contains(name)) {
        problems.add(name, "is not a known query parameter; expected some of " + new TreeSet<>(QUERY));
      }
    }
    Reconciler.Builder reconciler = Reconciler.builder().now(clock.instant());
    for (String mapping : request.queryAll("product")) {
      String[] parts = mapping.split("=", 2);
      if (parts.length != 2 || parts[0].isBlank() || !CatalogRules.isProductCode(parts[1])) {
        problems.add("product", "'" + mapping + "' is not FEED_PRODUCT_ID=OUR_PRODUCT_CODE, such as "
            + "prod-3y2ewx3ww2vbc=demo-saas");
      } else {
        reconciler.product(parts[0].strip(), parts[1]);
      }
    }
    for (String mapping : request.queryAll("agreement")) {
      String[] parts = mapping.split("=", 2);
      if (parts.length != 2 || parts[0].isBlank() || !CatalogRules.isLicenseArn(parts[1])) {
        problems.add("agreement", "'" + mapping + "' is not AGREEMENT_ID=LICENSE_ARN, such as "
            + "agmt-1a2b3c=arn:aws:license-manager::111122223333:license:l-1");
      } else {
        reconciler.agreement(parts[0].strip(), parts[1]);
      }
    }
    if (request.body().length == 0) {
      problems.add("body", "is empty: send the Daily Usage data feed file (CSV) as the body");
    }
    if (!problems.isEmpty()) {
      throw AdminException.invalid(problems.list().stream().map(JsonInput.Problem::toString).toList());
    }
    Reconciliation result;
    try {
      result = reconciler.build().reconcile(
          new InputStreamReader(new ByteArrayInputStream(request.body()), StandardCharsets.UTF_8),
          store::usageReport);
    } catch (FeedException e) {
      throw AdminException.invalid(e.problems().stream().map(p -> "feed: " + p).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.info("Admin: reconciled a Daily Usage feed: {}", result.summary());
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try {
      result.writeJson(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from a byte array
    }
    return PlainResponse.json(200, out.toByteArray()).withHeader("Cache-Control", "no-store");
  }
}
