package io.meterbridge.server.e2e;

import io.meterbridge.auth.AwsCredentials;
import io.meterbridge.auth.RequestHeaders;
import io.meterbridge.auth.SigV4Signer;
import io.meterbridge.auth.SignableRequest;
import io.meterbridge.auth.SigningResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Signed AWS JSON 1.1 requests as raw bytes, for bodies no client would send. */
final class SignedRaw {
  private SignedRaw() {}

  static byte[] post(int port, String operation, String accessKeyId, String region, byte[] body) {
    RequestHeaders headers = RequestHeaders.of(
        "Host", "127.0.0.1:" + port,
        "Content-Type", "application/x-amz-json-1.1",
        "X-Amz-Target", "AWSMPMeteringService." + operation);
    SigningResult signed = SigV4Signer.builder().service("aws-marketplace").region(region).build()
        .sign(SignableRequest.builder().method("POST").target("/").headers(headers).body(body).build(),
            AwsCredentials.of(accessKeyId, TestServer.SECRET), Instant.now());
    StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    signed.addedHeaders().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] post(int port, String operation, String accessKeyId, String body) {
    return post(port, operation, accessKeyId, "us-east-1", body.getBytes(StandardCharsets.UTF_8));
  }
}
