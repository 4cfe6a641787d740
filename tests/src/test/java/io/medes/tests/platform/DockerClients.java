package io.medes.tests.platform;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** docker-java clients for the engine scripts/setup started, and lookup of the images it built. */
final class DockerClients {
  private DockerClients() {}

  static DockerClient connect(PlatformSettings settings) {
    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(settings.dockerHost.toString())
        .build();
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofMinutes(2))
        .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * A tag of the newest local image of {@code repository} (e.g. {@code medes/python3-action}), or a
   * clear error naming the setup step that builds it.
   */
  static String newestImage(DockerClient docker, String repository) {
    List<Image> images = docker.listImagesCmd().exec();
    return images.stream()
        .filter(image -> image.getRepoTags() != null)
        .sorted(Comparator.comparing(Image::getCreated, Comparator.nullsFirst(Long::compare)).reversed())
        .flatMap(image -> Arrays.stream(image.getRepoTags()))
        .filter(Objects::nonNull)
        .filter(tag -> tag.startsWith(repository + ":"))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no local image of " + repository + "; scripts/setup builds it from runtime-patches/images/"));
  }
}
