package io.meterbridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireLogTest {
  @Test
  void mask_authorization_hidesOnlyTheSignature() {
    assertThat(WireLog.mask("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260801/us-east-1/"
        + "aws-marketplace/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123def"))
        .isEqualTo("AWS4-HMAC-SHA256 Credential=AKID/20260801/us-east-1/aws-marketplace/aws4_request, "
            + "SignedHeaders=host;x-amz-date, Signature=****");
  }

  @Test
  void mask_securityToken_hidesAll() {
    assertThat(WireLog.mask("x-amz-security-token", "FQoGZXIvYXdzE")).isEqualTo("****");
  }

  @Test
  void mask_otherHeaders_areShownAsIs() {
    assertThat(WireLog.mask("X-Amz-Target", "AWSMPMeteringService.MeterUsage"))
        .isEqualTo("AWSMPMeteringService.MeterUsage");
  }
}
