/**
 * The wire contract of the AWS Marketplace Metering Service, shared by Meterbridge's client and
 * server: the request and response shapes with the official model's constraints
 * ({@code io.meterbridge.model}), the error codes as exceptions ({@code io.meterbridge.exception})
 * and SigV4 signing, verification and usage signatures ({@code io.meterbridge.auth}).
 *
 * <p>{@code io.meterbridge.internal} (the build version) and {@code io.meterbridge.internal.json}
 * (the JSON codec) are exported to the client module only: they are not API and change without
 * notice. The server, which runs on the class path, reaches them there.
 */
// The client module is compiled after this one, so javac cannot find it yet.
@SuppressWarnings("module")
module io.meterbridge.model {
  requires com.fasterxml.jackson.core;

  exports io.meterbridge.model;
  exports io.meterbridge.exception;
  exports io.meterbridge.auth;
  exports io.meterbridge.internal to io.meterbridge.client;
  exports io.meterbridge.internal.json to io.meterbridge.client;
}
