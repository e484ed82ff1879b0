package io.meterbridge.server.http;

/** The user event that asks a connection to finish its call in flight and close. */
public final class Drain {
  /** The event. */
  public static final Drain INSTANCE = new Drain();

  private Drain() {}
}
