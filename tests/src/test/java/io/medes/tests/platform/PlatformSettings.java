package io.medes.tests.platform;

import com.typesafe.config.Config;
import io.medes.config.MedesConfig;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the platform tests find CRIU and the Docker engine, read from {@code whisk.medes.criu.binary}
 * and {@code whisk.medes.docker.host} (defaults in this module's test {@code reference.conf}).
 */
final class PlatformSettings {
  static final String CRIU_BINARY_KEY = "whisk.medes.criu.binary";
  static final String DOCKER_HOST_KEY = "whisk.medes.docker.host";
  static final String DEFAULT_CRIU_BINARY = "/opt/criu/sbin/criu";
  static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

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
    String criu = config.hasPath(CRIU_BINARY_KEY) ? config.getString(CRIU_BINARY_KEY) : DEFAULT_CRIU_BINARY;
    String docker = config.hasPath(DOCKER_HOST_KEY) ? config.getString(DOCKER_HOST_KEY) : DEFAULT_DOCKER_HOST;
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
