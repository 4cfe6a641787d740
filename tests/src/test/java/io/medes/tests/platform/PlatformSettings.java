package io.medes.tests.platform;

import com.typesafe.config.Config;
import io.medes.config.MedesConfig;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the platform tests find CRIU and the Docker engine, read from {@code whisk.medes.criu.binary}
 * and {@code whisk.medes.invoker.docker-host} (defaults in medes-dedup-core's and medes-invoker-extension's {@code reference.conf}).
 */
final class PlatformSettings {
  static final String CRIU_BINARY_KEY = "whisk.medes.criu.binary";
  static final String DOCKER_HOST_KEY = "whisk.medes.invoker.docker-host";

  final Path criuBinary;
  final URI dockerHost;

  private PlatformSettings(Path criuBinary, URI dockerHost) {
    this.criuBinary = criuBinary;
    this.dockerHost = dockerHost;
  }

  static PlatformSettings load() {
    return from(MedesConfig.load());
  }

  static PlatformSettings from(Config config) {
    String criu = config.getString(CRIU_BINARY_KEY);
    String docker = config.getString(DOCKER_HOST_KEY);
    Path criuPath = Path.of(criu);
    if (!criuPath.isAbsolute()) {
      throw new IllegalArgumentException(CRIU_BINARY_KEY + " must be an absolute path, got '" + criu + "'");
    }
    URI dockerUri = URI.create(docker);
    if (!"unix".equals(dockerUri.getScheme()) && !"tcp".equals(dockerUri.getScheme())) {
      throw new IllegalArgumentException(
          DOCKER_HOST_KEY + " must be a unix:// or tcp:// URI, got '" + docker + "'");
    }
    return new PlatformSettings(criuPath, dockerUri);
  }

  /** Fails with the setup hint when the CRIU binary is missing. */
  Path requireCriu() {
    if (!Files.isExecutable(criuBinary)) {
      throw new IllegalStateException(
          "CRIU binary " + criuBinary + " (" + CRIU_BINARY_KEY + ") is missing; run scripts/setup");
    }
    return criuBinary;
  }
}
