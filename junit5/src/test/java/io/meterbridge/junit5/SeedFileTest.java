package io.meterbridge.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meterbridge.client.MeteringClient;
import io.meterbridge.model.UsageRecord;
import io.meterbridge.model.UsageRecordResultStatus;
import io.meterbridge.server.seed.SeedException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SeedFileTest {

  @Nested
  @MeterbridgeTest(seed = "../examples/seed.json")
  class TheRepositorysExampleSeed {
    @Test
    void clientIsTheFirstProductsSeller(MeteringClient client, EmbeddedMeterbridge meterbridge) {
      assertThat(meterbridge.accessKeyId()).isEqualTo("AKIDSELLEREXAMPLE");
      assertThat(client.batchMeterUsage(b -> b.productCode("prod-saas").usageRecords(UsageRecord.builder()
          .timestamp(Instant.now()).customerIdentifier("cust-1").dimension("users").quantity(1).build()))
          .results())
          .singleElement().satisfies(r -> assertThat(r.status()).contains(UsageRecordResultStatus.SUCCESS));
    }
  }

  @Nested
  @MeterbridgeTest(seed = "small-seed.json")
  class AClassPathResource {
    @Test
    void clientIsTheSellers_evenWhenAnotherAccountComesFirst(EmbeddedMeterbridge meterbridge) {
      assertThat(meterbridge.accessKeyId()).isEqualTo("AKIDSMALLSELLER");
      assertThat(meterbridge.store().product("small-ami")).isPresent();
      assertThat(meterbridge.store().product("demo-saas")).isEmpty();
    }
  }

  @Nested
  @MeterbridgeTest(seed = "small-seed.json", accessKeyId = "AKIDSMALLBUYER")
  class AChosenKey {
    @Test
    void signsTheInjectedClient(MeteringClient client, EmbeddedMeterbridge meterbridge) {
      assertThat(meterbridge.accessKeyId()).isEqualTo("AKIDSMALLBUYER");
      assertThat(client.meterUsage(b -> b.productCode("small-ami").timestamp(Instant.now())
          .usageDimension("hours").usageQuantity(1)).meteringRecordId()).isPresent();
    }
  }

  @Test
  void aSeedThatIsNeitherResourceNorFile_saysWhereItLooked() {
    Settings settings = new Settings(Optional.of("no-such-seed.json"), Optional.empty(), Optional.empty(),
        Reset.PER_CLASS, Optional.empty(), b -> {});

    assertThatThrownBy(() -> EmbeddedMeterbridge.start(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("seed 'no-such-seed.json' is neither a class path resource nor a file (relative paths start at ")
        .hasMessageEndingWith("); put it in src/test/resources or give a path to an existing file");
  }

  @Test
  void aCatalogWithProblems_failsTheStart_withTheSeedFilesMessage() {
    Settings settings = new Settings(Optional.empty(), Optional.of(TestCatalog.builder()
        .account("111111111111", "AKIDSELLER", "secret")
        .product("p", "SAAS", "444444444444", "users")
        .build()), Optional.empty(), Reset.PER_CLASS, Optional.empty(), b -> {});

    assertThatThrownBy(() -> EmbeddedMeterbridge.start(settings))
        .isInstanceOf(SeedException.class)
        .hasMessageContaining("products[0].seller: account '444444444444' is neither in this file's accounts nor in the database");
  }

  @Test
  void anUnknownAccessKeyId_failsTheStart_sayingWhatToDo() {
    Settings settings = new Settings(Optional.empty(), Optional.empty(), Optional.empty(), Reset.PER_CLASS,
        Optional.of("AKIDNOPE"), b -> {});

    assertThatThrownBy(() -> EmbeddedMeterbridge.start(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accessKeyId 'AKIDNOPE' is not in the catalog; add it to the catalog or seed file, or leave it"
            + " empty for the key of the first product's seller");
  }

  @Test
  void aCatalogWithoutKeys_startsButItsClientSaysWhatIsMissing() {
    Settings settings = new Settings(Optional.empty(), Optional.of(TestCatalog.builder()
        .account("111111111111")
        .product("p", "SAAS", "111111111111", "users")
        .build()), Optional.empty(), Reset.PER_CLASS, Optional.empty(), b -> {});

    try (EmbeddedMeterbridge meterbridge = EmbeddedMeterbridge.start(settings)) {
      assertThatThrownBy(meterbridge::client)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("the catalog has no access key to sign the client with: give an account a key");
    }
  }
}
