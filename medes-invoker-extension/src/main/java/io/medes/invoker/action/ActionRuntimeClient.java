package io.medes.invoker.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Speaks OpenWhisk's action runtime protocol ({@code POST /init}, {@code POST /run} on port 8080) to one
 * sandbox, with OpenWhisk's result semantics: 200 with a JSON object is success (an application error
 * if it carries {@code error}), anything else is a developer error.
 */
public final class ActionRuntimeClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Pause between connection attempts while a just-started runtime is not listening yet. */
  private static final long CONNECT_RETRY_MILLIS = 5;

  private final HttpClient http;

  public ActionRuntimeClient() {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
  }

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
    URI uri = URI.create("http://" + endpoint.getHostString() + ":" + endpoint.getPort() + path);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build();
    } catch (IOException e) {
      throw new ActionProtocolException("cannot encode request for " + uri, e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return ActionResponse.of(response.statusCode(), response.body());
      } catch (ConnectException e) {
        // The runtime process exists but is not listening yet (cold start) or its socket is being
        // restored; OpenWhisk's container client retries the same way until the timeout.
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_RETRY_MILLIS) > deadline) {
          throw new ActionProtocolException(path + " to " + uri + ": runtime not reachable within " + timeout, e);
        }
        sleep(CONNECT_RETRY_MILLIS);
      } catch (HttpTimeoutException e) {
        throw new ActionProtocolException(path + " to " + uri + " timed out after " + timeout, e);
      } catch (IOException e) {
        throw new ActionProtocolException(path + " to " + uri + " failed", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ActionProtocolException(path + " to " + uri + " interrupted", e);
      }
    }
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
