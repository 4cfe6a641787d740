package io.medes.tests.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** Speaks the OpenWhisk action runtime protocol (POST /init, POST /run) to a runner over real HTTP. */
final class RunnerClient {
  static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final URI base;

  RunnerClient(String host, int port) {
    this.base = URI.create("http://" + host + ":" + port);
  }

  static final class Response {
    final int status;
    final JsonNode body;

    Response(int status, JsonNode body) {
      this.status = status;
      this.body = body;
    }
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            body instanceof String ? (String) body : JSON.writeValueAsString(body)))
        .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), JSON.readTree(response.body()));
  }

  /** Waits until the runner accepts connections (it answers 404 to an unknown path). */
  void awaitListening(Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try {
        post("/ready-probe", "{}");
        return;
      } catch (ConnectException notYet) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("runner at " + base + " not listening after " + timeout, notYet);
        }
        Thread.sleep(50);
      }
    }
  }
}
