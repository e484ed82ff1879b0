package io.meterbridge.gateway;

/** What the gateway did with one event. */
public enum IngestStatus {
  /** New, valid, and durable: it will be summed into its hour's record and forwarded. */
  ACCEPTED("accepted"),
  /** The same id with the same content was accepted before: a safe retry, nothing changed. */
  DUPLICATE("duplicate"),
  /** The same id was accepted before with different content: nothing changed, the first stands. */
  CONFLICT("conflict"),
  /** Invalid (the reason names the field), and not stored. */
  REJECTED("rejected");

  private final String wireName;

  IngestStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name on the wire: {@code accepted}, {@code duplicate}, {@code conflict}, {@code rejected}. */
  public String wireName() {
    return wireName;
  }
}
