package io.meterbridge.exception;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every wire error code Meterbridge knows: the 19 error shapes of the service model and the
 * common errors of AWS JSON endpoints. Each has its default HTTP status and a final exception class.
 *
 * <pre>{@code
 * MeteringServiceException e = ErrorCode.THROTTLING.create("Rate exceeded", 400, "req-1");
 * }</pre>
 */
public enum ErrorCode {
  CUSTOMER_NOT_ENTITLED(CustomerNotEntitledException.CODE, 400, CustomerNotEntitledException::new),
  DISABLED_API(DisabledApiException.CODE, 400, DisabledApiException::new),
  DUPLICATE_REQUEST(DuplicateRequestException.CODE, 400, DuplicateRequestException::new),
  EXPIRED_TOKEN(ExpiredTokenException.CODE, 400, ExpiredTokenException::new),
  IDEMPOTENCY_CONFLICT(IdempotencyConflictException.CODE, 409, IdempotencyConflictException::new),
  INTERNAL_SERVICE_ERROR(InternalServiceErrorException.CODE, 500, InternalServiceErrorException::new),
  INVALID_CUSTOMER_IDENTIFIER(InvalidCustomerIdentifierException.CODE, 400, InvalidCustomerIdentifierException::new),
  INVALID_ENDPOINT_REGION(InvalidEndpointRegionException.CODE, 400, InvalidEndpointRegionException::new),
  INVALID_LICENSE(InvalidLicenseException.CODE, 400, InvalidLicenseException::new),
  INVALID_PRODUCT_CODE(InvalidProductCodeException.CODE, 400, InvalidProductCodeException::new),
  INVALID_PUBLIC_KEY_VERSION(InvalidPublicKeyVersionException.CODE, 400, InvalidPublicKeyVersionException::new),
  INVALID_REGION(InvalidRegionException.CODE, 400, InvalidRegionException::new),
  INVALID_TAG(InvalidTagException.CODE, 400, InvalidTagException::new),
  INVALID_TOKEN(InvalidTokenException.CODE, 400, InvalidTokenException::new),
  INVALID_USAGE_ALLOCATIONS(InvalidUsageAllocationsException.CODE, 400, InvalidUsageAllocationsException::new),
  INVALID_USAGE_DIMENSION(InvalidUsageDimensionException.CODE, 400, InvalidUsageDimensionException::new),
  PLATFORM_NOT_SUPPORTED(PlatformNotSupportedException.CODE, 400, PlatformNotSupportedException::new),
  THROTTLING(ThrottlingException.CODE, 400, ThrottlingException::new),
  TIMESTAMP_OUT_OF_BOUNDS(TimestampOutOfBoundsException.CODE, 400, TimestampOutOfBoundsException::new),
  VALIDATION(ValidationException.CODE, 400, ValidationException::new),
  ACCESS_DENIED(AccessDeniedException.CODE, 400, AccessDeniedException::new),
  UNRECOGNIZED_CLIENT(UnrecognizedClientException.CODE, 400, UnrecognizedClientException::new),
  INVALID_SIGNATURE(InvalidSignatureException.CODE, 400, InvalidSignatureException::new),
  INCOMPLETE_SIGNATURE(IncompleteSignatureException.CODE, 400, IncompleteSignatureException::new),
  MISSING_AUTHENTICATION_TOKEN(MissingAuthenticationTokenException.CODE, 403, MissingAuthenticationTokenException::new),
  REQUEST_EXPIRED(RequestExpiredException.CODE, 400, RequestExpiredException::new),
  SIGNATURE_DOES_NOT_MATCH(SignatureDoesNotMatchException.CODE, 403, SignatureDoesNotMatchException::new),
  SERIALIZATION(SerializationException.CODE, 400, SerializationException::new),
  UNKNOWN_OPERATION(UnknownOperationException.CODE, 400, UnknownOperationException::new),
  REQUEST_ENTITY_TOO_LARGE(RequestEntityTooLargeException.CODE, 413, RequestEntityTooLargeException::new),
  DRY_RUN_OPERATION(DryRunOperationException.CODE, 412, DryRunOperationException::new),
  INTERNAL_FAILURE(InternalFailureException.CODE, 500, InternalFailureException::new),
  SERVICE_UNAVAILABLE(ServiceUnavailableException.CODE, 503, ServiceUnavailableException::new);

  /** Creates the exception for a received error. */
  @FunctionalInterface
  interface Factory {
    MeteringServiceException create(String message, int statusCode, String requestId);
  }

  private static final Map<String, ErrorCode> BY_CODE =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

  private final String code;
  private final int defaultStatus;
  private final Factory factory;

  ErrorCode(String code, int defaultStatus, Factory factory) {
    this.code = code;
    this.defaultStatus = defaultStatus;
    this.factory = factory;
  }

  /** The code as it appears on the wire in {@code __type}. */
  public String code() {
    return code;
  }

  /** The HTTP status the service answers this error with. */
  public int defaultStatus() {
    return defaultStatus;
  }

  /** The exception for this code. */
  public MeteringServiceException create(String message, int statusCode, String requestId) {
    return factory.create(message, statusCode, requestId);
  }

  /** The entry for a sanitised wire code. */
  public static Optional<ErrorCode> find(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }
}
