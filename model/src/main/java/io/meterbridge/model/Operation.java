package io.meterbridge.model;

import java.util.List;
import java.util.Optional;

/**
 * The four operations of the service, typed by their request and response.
 *
 * <pre>{@code
 * Operation<MeterUsageRequest, MeterUsageResponse> op = Operation.METER_USAGE;
 * op.target(); // "AWSMPMeteringService.MeterUsage"
 * }</pre>
 *
 * @param <I> the request type
 * @param <O> the response type
 */
public final class Operation<I, O> {
  /** The JSON 1.1 target prefix of the service. */
  public static final String TARGET_PREFIX = "AWSMPMeteringService.";

  /** Up to 25 usage records for SaaS customers of one product. */
  public static final Operation<BatchMeterUsageRequest, BatchMeterUsageResponse> BATCH_METER_USAGE =
      new Operation<>("BatchMeterUsage", BatchMeterUsageRequest.class, BatchMeterUsageResponse.class);
  /** One hour of one dimension, from the buyer's EC2 instance, ECS task or EKS pod. */
  public static final Operation<MeterUsageRequest, MeterUsageResponse> METER_USAGE =
      new Operation<>("MeterUsage", MeterUsageRequest.class, MeterUsageResponse.class);
  /** A paid container task or pod registering at launch. */
  public static final Operation<RegisterUsageRequest, RegisterUsageResponse> REGISTER_USAGE =
      new Operation<>("RegisterUsage", RegisterUsageRequest.class, RegisterUsageResponse.class);
  /** A SaaS registration token exchanged for the customer. */
  public static final Operation<ResolveCustomerRequest, ResolveCustomerResponse> RESOLVE_CUSTOMER =
      new Operation<>("ResolveCustomer", ResolveCustomerRequest.class, ResolveCustomerResponse.class);

  private static final List<Operation<?, ?>> ALL =
      List.of(BATCH_METER_USAGE, METER_USAGE, REGISTER_USAGE, RESOLVE_CUSTOMER);

  private final String name;
  private final String target;
  private final Class<I> requestType;
  private final Class<O> responseType;

  private Operation(String name, Class<I> requestType, Class<O> responseType) {
    this.name = name;
    this.target = TARGET_PREFIX + name;
    this.requestType = requestType;
    this.responseType = responseType;
  }

  /** The operation's name in the model, such as {@code BatchMeterUsage}. */
  public String name() {
    return name;
  }

  /** The {@code X-Amz-Target} header value. */
  public String target() {
    return target;
  }

  /** The request type. */
  public Class<I> requestType() {
    return requestType;
  }

  /** The response type. */
  public Class<O> responseType() {
    return responseType;
  }

  /** All four operations. */
  public static List<Operation<?, ?>> values() {
    return ALL;
  }

  /** The operation an {@code X-Amz-Target} header names. */
  public static Optional<Operation<?, ?>> fromTarget(String target) {
    for (Operation<?, ?> operation : ALL) {
      if (operation.target.equals(target)) {
        return Optional.of(operation);
      }
    }
    return Optional.empty();
  }

  /** The operation with this model name. */
  public static Optional<Operation<?, ?>> fromName(String name) {
    for (Operation<?, ?> operation : ALL) {
      if (operation.name.equals(name)) {
        return Optional.of(operation);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name;
  }
}
