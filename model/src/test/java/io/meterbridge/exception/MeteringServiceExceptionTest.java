package io.meterbridge.exception;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MeteringServiceExceptionTest {
  @Test
  void sanitizeCode_dropsNamespaceAndLegacySuffix() {
    assertThat(MeteringServiceException.sanitizeCode("aws.protocoltests#FooError")).isEqualTo("FooError");
    assertThat(MeteringServiceException.sanitizeCode("FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"))
        .isEqualTo("FooError");
    assertThat(MeteringServiceException.sanitizeCode("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"))
        .isEqualTo("FooError");
    assertThat(MeteringServiceException.sanitizeCode("ThrottlingException")).isEqualTo("ThrottlingException");
  }

  @Test
  void of_knownCode_givesItsFinalClassWithStatusAndRequestId() {
    MeteringServiceException e = MeteringServiceException.of("IdempotencyConflictException", "token reused", 409, "req-1");

    assertThat(e).isInstanceOf(IdempotencyConflictException.class);
    assertThat(e.statusCode()).isEqualTo(409);
    assertThat(e.requestId()).contains("req-1");
    assertThat(e.serviceMessage()).isEqualTo("token reused");
    assertThat(e.retryable()).isFalse();
    assertThat(e).hasMessage("IdempotencyConflictException: token reused (status 409, request req-1)");
  }

  @Test
  void of_unknownCode_givesTheServiceBaseClass() {
    MeteringServiceException e = MeteringServiceException.of("BrandNewException", "", 400, "");

    assertThat(e.getClass()).isEqualTo(MeteringServiceException.class);
    assertThat(e.errorCode()).isEqualTo("BrandNewException");
    assertThat(e.requestId()).isEmpty();
  }

  @Test
  void retryable_throttlingAndServerFaults_only() {
    assertThat(new ThrottlingException("slow down").retryable()).isTrue();
    assertThat(new ThrottlingException("slow down").throttling()).isTrue();
    assertThat(new InternalServiceErrorException("boom").retryable()).isTrue();
    assertThat(new ServiceUnavailableException("later").retryable()).isTrue();
    assertThat(new InvalidProductCodeException("no").retryable()).isFalse();
    assertThat(MeteringServiceException.of("TooManyRequestsException", "", 429, "").retryable()).isTrue();
  }

  @Test
  void errorCode_registry_coversEveryModelledErrorShape() {
    String[] modelled = {"CustomerNotEntitledException", "DisabledApiException", "DuplicateRequestException",
        "ExpiredTokenException", "IdempotencyConflictException", "InternalServiceErrorException",
        "InvalidCustomerIdentifierException", "InvalidEndpointRegionException", "InvalidLicenseException",
        "InvalidProductCodeException", "InvalidPublicKeyVersionException", "InvalidRegionException",
        "InvalidTagException", "InvalidTokenException", "InvalidUsageAllocationsException",
        "InvalidUsageDimensionException", "PlatformNotSupportedException", "ThrottlingException",
        "TimestampOutOfBoundsException"};
    for (String code : modelled) {
      assertThat(ErrorCode.find(code)).as(code).isPresent();
      MeteringServiceException e = MeteringServiceException.of(code, "m", 400, "");
      assertThat(e.getClass().getSimpleName()).isEqualTo(code);
    }
    assertThat(ErrorCode.find("IdempotencyConflictException").orElseThrow().defaultStatus()).isEqualTo(409);
    assertThat(ErrorCode.find("InternalServiceErrorException").orElseThrow().defaultStatus()).isEqualTo(500);
  }

  @Test
  void serverSideConstructor_usesTheDefaultStatus() {
    assertThat(new IdempotencyConflictException("x").statusCode()).isEqualTo(409);
    assertThat(new MissingAuthenticationTokenException("x").statusCode()).isEqualTo(403);
    assertThat(new ValidationException("x").statusCode()).isEqualTo(400);
  }
}
