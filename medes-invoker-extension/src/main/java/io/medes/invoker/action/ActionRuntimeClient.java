package io.medes.invoker.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Speaks OpenWhisk's action runtime protocol ({@code POST /init}, {@code POST /run} on port 8080) to one
 * sandbox, with OpenWhisk's result semantics: 200 with a JSON object is success (an application error
 * if it carries {@code error}), anything else is a developer error.
 *
 * <p>One connection per request, HTTP/1.0 with {@code Connection: close}, and the response is read until
 * the runtime closes the connection. A pooled keep-alive connection (what {@code java.net.http.HttpClient}
 * keeps) would still be established when the sandbox is paused and checkpointed: CRIU refuses to dump an
 * established TCP socket without {@code --tcp-established}, and a restored sandbox would hold a socket
 * whose peer is long gone. Reading to EOF also means the runtime has finished the request before the
 * caller pauses it.
 */
public final class ActionRuntimeClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pause between connection attempts while a just-started runtime is not listening yet. */
  private static final long CONNECT_RETRY_MILLIS = 2;
  /** Largest response accepted (OpenWhisk's default result limit is 1 MB; logs are not in the body). */
  private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  /** Sends {@code /init} with the action's code; retries connection refusals until {@code timeout}. */
  public ActionResponse init(InetSocketAddress endpoint, ObjectNode initValue, Duration timeout)
      throws ActionProtocolException {
    ObjectNode body = JSON.createObjectNode();
    body.set("value", initValue);
    return post(endpoint, "/init", body, timeout);
  }

  /** Sends {@code /run} with the activation's parameters and metadata. */
  public ActionResponse run(InetSocketAddress endpoint, ObjectNode runBody, Duration timeout)
      throws ActionProtocolException {
    return post(endpoint, "/run", runBody, timeout);
  }

  private ActionResponse post(InetSocketAddress endpoint, String path, JsonNode body, Duration timeout)
      throws ActionProtocolException {
    String where = "http://" + endpoint.getHostString() + ":" + endpoint.getPort() + path;
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new ActionProtocolException("cannot encode request for " + where, e);
    }
    byte[] head = ("POST " + path + " HTTP/1.0\r\n"
        + "Host: " + endpoint.getHostString() + ":" + endpoint.getPort() + "\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: " + payload.length + "\r\n"
        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMillis <= 0) {
        throw new ActionProtocolException(path + " to " + where + " timed out after " + timeout, null);
      }
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        try {
          socket.connect(endpoint, (int) Math.min(remainingMillis, Integer.MAX_VALUE));
        } catch (ConnectException | NoRouteToHostException e) {
          // The runtime process exists but is not listening yet (cold start) or its listener is being
          // restored; OpenWhisk's container client retries the same way until the timeout.
          if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_RETRY_MILLIS) > deadline) {
            throw new ActionProtocolException(path + " to " + where + ": runtime not reachable within " + timeout, e);
          }
          sleep(CONNECT_RETRY_MILLIS);
          continue;
        }
        OutputStream out = socket.getOutputStream();
        out.write(head);
        out.write(payload);
        out.flush();
        byte[] response = readToEnd(socket, deadline, where, timeout);
        return parse(response, where);
      } catch (SocketTimeoutException e) {
        throw new ActionProtocolException(path + " to " + where + " timed out after " + timeout, e);
      } catch (IOException e) {
        throw new ActionProtocolException(path + " to " + where + " failed", e);
      }
    }
  }

  private static byte[] readToEnd(Socket socket, long deadline, String where, Duration timeout) throws IOException, ActionProtocolException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[16 * 1024];
    while (true) {
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remaining <= 0) throw new SocketTimeoutException("deadline passed");
      socket.setSoTimeout((int) Math.min(remaining, Integer.MAX_VALUE));
      int n = in.read(chunk);
      if (n < 0) return buffer.toByteArray();
      buffer.write(chunk, 0, n);
      if (buffer.size() > MAX_RESPONSE_BYTES) {
        throw new ActionProtocolException(where + " answered more than " + MAX_RESPONSE_BYTES + " bytes", null);
      }
    }
  }

  /** Status line, headers, body; chunked encoding is not used by HTTP/1.0 servers. */
  static ActionResponse parse(byte[] response, String where) throws ActionProtocolException {
    int headerEnd = indexOf(response, new byte[] {'\r', '\n', '\r', '\n'});
    if (headerEnd < 0) {
      throw new ActionProtocolException(where + " answered no complete HTTP response (" + response.length + " bytes)", null);
    }
    String head = new String(response, 0, headerEnd, StandardCharsets.ISO_8859_1);
    String statusLine = head.split("\r\n", 2)[0];
    String[] parts = statusLine.split(" ", 3);
    int status;
    try {
      if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new NumberFormatException(statusLine);
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new ActionProtocolException(where + " answered a malformed status line: " + statusLine, e);
    }
    int bodyStart = headerEnd + 4;
    int bodyLength = response.length - bodyStart;
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        try {
          int declared = Integer.parseInt(line.substring(colon + 1).trim());
          if (declared > bodyLength) {
            throw new ActionProtocolException(where + " closed the connection after " + bodyLength + " of " + declared + " body bytes", null);
          }
          bodyLength = declared;
        } catch (NumberFormatException e) {
          throw new ActionProtocolException(where + " sent a malformed Content-Length: " + line, e);
        }
      }
    }
    byte[] body = new byte[bodyLength];
    System.arraycopy(response, bodyStart, body, 0, bodyLength);
    return ActionResponse.of(status, body);
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  private static void sleep(long millis) throws ActionProtocolException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActionProtocolException("interrupted while waiting for the runtime", e);
    }
  }
}
