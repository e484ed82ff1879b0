package io.meterbridge.client.credentials;

import java.time.Instant;

/** STS query-protocol answers, as STS writes them, for the loopback STS of the tests. */
final class StsXml {
  private StsXml() {}

  static String credentials(String action, String accessKeyId, String secret, String token,
      Instant expiry) {
    return "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <" + action + "Result>\n"
        + "    <SubjectFromWebIdentityToken>system:serviceaccount:billing:meter</SubjectFromWebIdentityToken>\n"
        + "    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId>\n"
        + "      <Arn>arn:aws:sts::123456789012:assumed-role/metering/session</Arn>\n"
        + "    </AssumedRoleUser>\n"
        + "    <Credentials>\n"
        + "      <AccessKeyId>" + accessKeyId + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
        + "      <SessionToken>" + token + "</SessionToken>\n"
        + "      <Expiration>" + expiry + "</Expiration>\n"
        + "    </Credentials>\n"
        + "  </" + action + "Result>\n"
        + "  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>\n"
        + "</" + action + "Response>\n";
  }

  static String error(String code, String message) {
    return "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
        + "  <Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
        + "</Message></Error>\n"
        + "  <RequestId>a1b2c3</RequestId>\n"
        + "</ErrorResponse>\n";
  }
}
