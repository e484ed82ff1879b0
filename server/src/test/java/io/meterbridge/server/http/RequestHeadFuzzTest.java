package io.meterbridge.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterbridge.server.CannedService;
import io.meterbridge.server.auth.Authenticator;
import io.meterbridge.server.throttle.Throttler;
import io.meterbridge.server.throttle.Throttling;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Coverage-guided fuzzing of the HTTP request head (Jazzer): the bytes go through the server's own
 * pipeline (codec, guard, body limit, protocol, dispatcher) on an embedded channel, in two pieces
 * so that heads split across reads are covered too. The property: nothing escapes the pipeline,
 * and every answer is an HTTP response whose status is not a 5xx (a 100 Continue may come first). See {@code JsonCodecFuzzTest}
 * in the model for how fuzz tests run.
 */
class RequestHeadFuzzTest {
  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: (\\d+)");
  private static final HttpServerConfig CONFIG = HttpServerConfig.builder().throttling(Throttling.off()).build();
  private static final Dispatcher DISPATCHER = new Dispatcher(new CannedService(),
      Authenticator.anyCredentials("123456789012", "us-east-1"), new Throttler(Throttling.off(), List.of("us-east-1")),
      Set.of("eu-west-1"), PlainHandler.NONE);

  @FuzzTest(maxDuration = "10s")
  void anyBytes_areAnsweredWithoutAServerError(byte[] input) {
    EmbeddedChannel channel = new EmbeddedChannel(new HttpChannelInitializer(CONFIG, DISPATCHER,
        new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE), null));
    try {
      int split = input.length == 0 ? 0 : (input[0] & 0xFF) % (input.length + 1);
      channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
      if (channel.isOpen()) { // the first piece may have been answered and the connection closed
        channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
      }
      channel.runPendingTasks();
      channel.checkException();
      StringBuilder out = new StringBuilder();
      for (Object written; (written = channel.readOutbound()) != null; ) {
        ByteBuf buffer = (ByteBuf) written;
        out.append(buffer.toString(StandardCharsets.ISO_8859_1));
        buffer.release();
      }
      // Response by response: status line, headers, then Content-Length bytes of body.
      String rest = out.toString();
      while (!rest.isEmpty()) {
        Matcher status = STATUS.matcher(rest);
        assertThat(status.lookingAt()).as(rest).isTrue();
        int code = Integer.parseInt(status.group(1));
        assertThat(code).as(rest).isBetween(100, 499);
        int end = rest.indexOf("\r\n\r\n");
        assertThat(end).as(rest).isPositive();
        if (code == 100) { // the interim answer to Expect: 100-continue, no body
          rest = rest.substring(end + 4);
          continue;
        }
        Matcher length = CONTENT_LENGTH.matcher(rest.substring(0, end));
        assertThat(length.find()).as(rest).isTrue();
        rest = rest.substring(end + 4 + Integer.parseInt(length.group(1)));
      }
    } finally {
      channel.finishAndReleaseAll();
    }
  }
}
