package io.meterbridge.server.http;

/**
 * A request the connection cannot go on from (too large, malformed, too slow): answered in turn
 * with an error, then the connection is closed. Travels down the pipeline like a request so that
 * answers keep the order of requests.
 */
record Refusal(int status, String errorCode, String message) {}
