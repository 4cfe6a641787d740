package io.medes.invoker.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.medes.concurrent.DaemonThreads;
import io.medes.invoker.runtime.SandboxRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One connection to the Docker Engine: docker-java's typed client for what it covers, and its raw HTTP
 * client for the endpoints it lacks (checkpoints, start from a checkpoint, container export).
 */
public final class DockerEngine implements AutoCloseable {
  private final DockerHttpClient http;
  private final DockerClient client;
  private final Duration timeout;
  /** Runs API calls so that a call Docker never answers (e.g. a start whose CRIU restore spins) is bounded. */
  private final ExecutorService calls = Executors.newCachedThreadPool(DaemonThreads.named("docker-api-call"));

  public DockerEngine(String dockerHost, Duration timeout) {
    this.timeout = timeout;
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost)
        .withDockerTlsVerify(false)
        .build();
    this.http = new ApacheDockerHttpClient.Builder()
        .dockerHost(URI.create(dockerHost))
        .maxConnections(32)
        .connectionTimeout(Duration.ofSeconds(5))
        .responseTimeout(timeout)
        .build();
    this.client = DockerClientImpl.getInstance(config, http);
  }

  public DockerClient client() {
    return client;
  }

  /** A typed docker-java call, bounded by the engine timeout. */
  public <T> T timed(String what, Callable<T> call) throws SandboxRuntimeException {
    Future<T> f = calls.submit(call);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new SandboxRuntimeException(what + ": Docker did not answer within " + timeout, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SandboxRuntimeException sre) throw sre;
      if (cause instanceof RuntimeException re) throw re;
      throw new SandboxRuntimeException(what + " failed", cause);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new SandboxRuntimeException(what + ": interrupted", e);
    }
  }

  /** A raw API call whose body is small; fails unless the status is 2xx. Returns the body text. */
  public String call(DockerHttpClient.Request.Method method, String path, String jsonBody, String what)
      throws SandboxRuntimeException {
    return timed(what, () -> callUnbounded(method, path, jsonBody, what));
  }

  private String callUnbounded(DockerHttpClient.Request.Method method, String path, String jsonBody, String what)
      throws SandboxRuntimeException {
    DockerHttpClient.Request.Builder rb = DockerHttpClient.Request.builder().method(method).path(path);
    if (jsonBody != null) {
      rb.headers(Map.of("Content-Type", "application/json"))
          .body(new java.io.ByteArrayInputStream(jsonBody.getBytes(StandardCharsets.UTF_8)));
    }
    try (DockerHttpClient.Response r = http.execute(rb.build())) {
      String body = new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8);
      if (r.getStatusCode() / 100 != 2) {
        throw new SandboxRuntimeException(what + ": Docker answered " + r.getStatusCode() + " to " + method + " " + path + ": " + body.strip());
      }
      return body;
    } catch (IOException | RuntimeException e) {
      throw new SandboxRuntimeException(what + ": " + method + " " + path + " failed", e);
    }
  }

  /** A raw GET whose body is streamed to {@code consumer} (e.g. a container export tarball). */
  public void stream(String path, StreamConsumer consumer, String what) throws SandboxRuntimeException {
    DockerHttpClient.Request req = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET).path(path).build();
    try (DockerHttpClient.Response r = http.execute(req)) {
      if (r.getStatusCode() != 200) {
        throw new SandboxRuntimeException(what + ": Docker answered " + r.getStatusCode() + " to GET " + path);
      }
      consumer.accept(r.getBody());
    } catch (IOException | RuntimeException e) {
      throw new SandboxRuntimeException(what + ": GET " + path + " failed", e);
    }
  }

  /** Receives a streamed response body. */
  @FunctionalInterface
  public interface StreamConsumer {
    void accept(InputStream body) throws IOException, SandboxRuntimeException;
  }

  @Override
  public void close() {
    calls.shutdownNow();
    try {
      client.close();
    } catch (IOException e) {
      // closing a unix-socket pool; nothing to recover
    }
  }
}
