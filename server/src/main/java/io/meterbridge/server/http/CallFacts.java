package io.meterbridge.server.http;

/**
 * What the {@link Dispatcher} learns about a call as it goes (operation, caller, record count), for
 * the {@link io.meterbridge.server.CallListener} once the answer is ready. Written by whichever
 * thread runs that step and read after the answer's future completed, which orders the writes
 * before the read.
 */
final class CallFacts {
  /** True for a metering API call ({@code POST /} with a known target), false for everything else. */
  boolean api;
  String operation = "";
  String accountId = "";
  String accessKeyId = "";
  int records;
}
