package io.meterbridge.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.seed.SeedException;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogBuilderTest {
  static final String SELLER = "111111111111";
  static final String BUYER = "222222222222";

  @RegisterExtension
  static final MeterbridgeExtension METERBRIDGE = MeterbridgeExtension.builder()
      .catalog(TestCatalog.builder()
          .account(SELLER, "AKIDSELLER", "sellerSecret")
          .account(BUYER, "AKIDBUYER", "buyerSecret")
          .product("prod-saas", "SAAS", SELLER, "users", "storage_gb")
          .product("prod-container", "CONTAINER", SELLER, "pods")
          .subscription("prod-saas", BUYER, "cust-1")
          .subscription("prod-container", BUYER)
          .registrationToken("tok-1", "prod-saas", BUYER, "cust-1")
          .build())
      .reset(Reset.PER_TEST)
      .server(b -> b.throttling(false))
      .build();

  @Test
  @Order(1)
  void clientIsTheSellers_andTheCatalogIsLoaded(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    assertThat(meterbridge.accessKeyId()).isEqualTo("AKIDSELLER");
    assertThat(client.resolveCustomer("tok-1").customerIdentifier()).contains("cust-1");
    assertThat(client.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(usage())).results())
        .singleElement().satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
    assertThat(meterbridge.batchRecords("prod-saas")).hasSize(1);
  }

  @Test
  @Order(2)
  void perTestReset_startsFromTheCatalogAlone(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    assertThat(meterbridge.batchRecords("prod-saas")).isEmpty();
    assertThat(client.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(usage())).results())
        .singleElement().satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
  }

  @Test
  @Order(3)
  void unsubscribe_takesEffectAtOnce(MeteringClient client, EmbeddedMeterbridge meterbridge) {
    assertThat(meterbridge.unsubscribe("prod-saas", BUYER)).isTrue();

    assertThat(client.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(usage())).results())
        .singleElement()
        .satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.CUSTOMER_NOT_SUBSCRIBED));
  }

  @Test
  @Order(4)
  void load_addsToTheCatalog(EmbeddedMeterbridge meterbridge) {
    meterbridge.load(TestCatalog.builder()
        .account("333333333333", "AKIDBUYER2", "buyer2Secret")
        .subscription("prod-container", "333333333333")
        .build());

    assertThat(meterbridge.client("AKIDBUYER2")
        .registerUsage(b -> b.productCode("prod-container").publicKeyVersion(1)).signature()).isPresent();
    assertThat(meterbridge.tasks("prod-container")).hasSize(1);
  }

  @Test
  @Order(5)
  void load_ofABadCatalog_namesEveryProblem_andLoadsNothing(EmbeddedMeterbridge meterbridge) {
    TestCatalog bad = TestCatalog.builder()
        .account("12", "AKIDX", "secret")
        .product("prod-new", "SASS", SELLER, "users")
        .build();

    assertThatThrownBy(() -> meterbridge.load(bad))
        .isInstanceOf(SeedException.class)
        .hasMessageContaining("Seed file the test catalog has 2 problems, nothing was loaded:")
        .hasMessageContaining("accounts[0].accountId")
        .hasMessageContaining("products[0].type: 'SASS' is not one of SAAS, AMI, CONTAINER");
    assertThat(meterbridge.store().product("prod-new")).isEmpty();
  }

  private static UsageRecord usage() {
    return UsageRecord.builder().timestamp(Instant.now()).customerIdentifier("cust-1").dimension("users")
        .quantity(1).build();
  }
}
