package io.meterbridge.bench.compare;

/** The canned server checks no signature; both clients still sign with these. */
final class Credentials {
  static final String ACCESS_KEY_ID = "AKIDEXAMPLEBENCH0001";
  static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  private Credentials() {}
}
