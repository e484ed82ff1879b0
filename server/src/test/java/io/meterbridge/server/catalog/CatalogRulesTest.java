package io.meterbridge.server.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meterbridge.auth.RsaKeys;
import io.meterbridge.server.store.AccessKey;
import io.meterbridge.server.store.SigningKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CatalogRulesTest {
  @Test
  void region_isLettersDashesAndANumber() {
    assertThat(CatalogRules.isRegion("us-east-1")).isTrue();
    assertThat(CatalogRules.isRegion("us-gov-west-1")).isTrue();
    assertThat(CatalogRules.isRegion("US East")).isFalse();
    assertThat(CatalogRules.isRegion("moon-1")).isFalse();
    assertThat(CatalogRules.isRegion("mars")).isFalse();
  }

  @Test
  void accountId_isTwelveDigits() {
    assertThat(CatalogRules.isAccountId("111122223333")).isTrue();
    assertThat(CatalogRules.isAccountId("12345")).isFalse();
    assertThat(CatalogRules.isAccountId("11112222333a")).isFalse();
  }

  @Test
  void accessKeyId_isLettersDigitsAndUnderscores_forTheSeedFileAndTheAdminApiAlike() {
    assertThat(CatalogRules.isAccessKeyId("AKIDSELLER")).isTrue();
    assertThat(CatalogRules.isAccessKeyId("AKID_SELLER")).isTrue();
    assertThat(CatalogRules.isAccessKeyId("AKID-SELLER")).isFalse();
    assertThat(CatalogRules.isAccessKeyId("A".repeat(129))).isFalse();
  }

  @Test
  void productCode_hasNoSlash_becauseItLivesInUrlPaths() {
    assertThat(CatalogRules.isProductCode("prod-1=:_.@")).isTrue();
    assertThat(CatalogRules.isProductCode("a/b")).isFalse();
  }

  @Test
  void licenseArn_followsTheModelsPattern() {
    assertThat(CatalogRules.isLicenseArn("arn:aws:license-manager::111122223333:license:l-1")).isTrue();
    assertThat(CatalogRules.isLicenseArn("l-1")).isFalse();
  }

  @Test
  void secretsAndTokens_haveNoSpaces() {
    assertThat(CatalogRules.isSecretAccessKey("s3cret")).isTrue();
    assertThat(CatalogRules.isSecretAccessKey("s3 cret")).isFalse();
    assertThat(CatalogRules.isSecretAccessKey("x".repeat(129))).isFalse();
    assertThat(CatalogRules.isRegistrationToken("tok-1")).isTrue();
    assertThat(CatalogRules.isRegistrationToken("tok 1")).isFalse();
  }

  @Test
  void newAccessKey_obeysTheRules_andHasAFortyCharacterSecret() {
    AccessKey key = CatalogRules.newAccessKey("111122223333");

    assertThat(key.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
    assertThat(CatalogRules.isAccessKeyId(key.accessKeyId())).isTrue();
    assertThat(key.secretAccessKey()).hasSize(40);
    assertThat(CatalogRules.isSecretAccessKey(key.secretAccessKey())).isTrue();
  }

  @Test
  void newSigningKey_isAnRsa2048PairOfTheGivenVersion() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    SigningKey key = CatalogRules.newSigningKey("prod-c", 3, now);

    assertThat(key.version()).isEqualTo(3);
    assertThat(key.createdAt()).isEqualTo(now);
    assertThat(RsaKeys.publicKeyFromDer(key.publicKey()).getModulus().bitLength()).isEqualTo(2048);
  }

  @Test
  void newRegistrationToken_obeysTheRule() {
    assertThat(CatalogRules.newRegistrationToken()).startsWith("mbt-").satisfies(
        t -> assertThat(CatalogRules.isRegistrationToken(t)).isTrue());
  }
}
