package io.meterbridge.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A small HTTP proxy on 127.0.0.1:0 for tests: CONNECT tunnels and absolute-form requests, with
 * Basic authentication required when {@code authorization} is not null. It records each request
 * head it received (the first line and the Proxy-Authorization header).
 */
final class LoopbackProxy implements AutoCloseable {
  final List<String> heads = Collections.synchronizedList(new ArrayList<>());
  private final ServerSocket server;
  private final String authorization;

  LoopbackProxy(String authorization) throws IOException {
    this.authorization = authorization;
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Thread t = new Thread(() -> serve(client), "loopback-proxy");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "loopback-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      heads.add(head);
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String given = null;
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("proxy-authorization:")) {
          given = line.substring(line.indexOf(':') + 1).strip();
        }
      }
      if (authorization != null && !authorization.equals(given)) {
        out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\n"
            + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      Socket target;
      if (requestLine[0].equals("CONNECT")) {
        String[] hostPort = requestLine[1].split(":");
        target = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
        out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } else {
        URI uri = URI.create(requestLine[1]);
        target = new Socket(uri.getHost(), uri.getPort());
        String rest = head.substring(head.indexOf("\r\n"));
        String originForm = requestLine[0] + " " + uri.getRawPath() + " " + requestLine[2] + rest;
        target.getOutputStream().write(originForm.getBytes(StandardCharsets.ISO_8859_1));
      }
      try (target) {
        Thread up = new Thread(() -> pipe(in, target));
        up.setDaemon(true);
        up.start();
        target.getInputStream().transferTo(out);
      }
    } catch (IOException e) {
      // a side closed: the exchange is over
    }
  }

  private static void pipe(InputStream in, Socket target) {
    try {
      in.transferTo(target.getOutputStream());
    } catch (IOException e) {
      // closed
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
