package io.medes.invoker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the sample actions from {@code runtime-patches/actions/manifest.json}: per action its
 * {@code name}, {@code kind}, {@code main}, {@code code} (path relative to the manifest),
 * {@code default_params}, {@code memory_limit_mb} and {@code timeout_ms}.
 */
public final class ActionManifest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A trivial action for when no manifest exists yet: a counter and 4 MiB of heap. */
  public static final String BUILTIN_CODE = String.join("\n",
      "import os",
      "state = bytearray(os.urandom(4 * 1024 * 1024))",
      "count = 0",
      "def main(args):",
      "    global count",
      "    count += 1",
      "    return {'count': count, 'bytes': len(state)}",
      "");

  private ActionManifest() {}

  /** The actions of a manifest; {@code images} maps an action kind ({@code python:3}) to its runtime image. */
  public static List<BenchAction> load(Path manifest, Map<String, String> images) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(manifest.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read action manifest " + manifest + ": " + e.getMessage(), e);
    }
    JsonNode actions = root.get("actions");
    if (actions == null || !actions.isArray() || actions.isEmpty()) {
      throw new IOException("action manifest " + manifest + " has no \"actions\" array");
    }
    Path base = manifest.toAbsolutePath().getParent();
    String defaultKind = root.path("kind").asText("python:3");
    List<BenchAction> out = new ArrayList<>();
    for (JsonNode a : actions) {
      String name = required(a, "name", manifest);
      String where = manifest + " action '" + name + "'";
      String kind = a.path("kind").asText(defaultKind);
      String image = images.get(kind);
      if (image == null) {
        throw new IOException(where + ": no runtime image for kind '" + kind + "' (known: " + images.keySet() + ")");
      }
      Path code = base.resolve(required(a, "code", manifest));
      if (!Files.isRegularFile(code)) {
        throw new IOException(where + ": code file " + code + " does not exist");
      }
      JsonNode params = a.path("default_params");
      ObjectNode p = params.isObject() ? (ObjectNode) params.deepCopy() : JSON.createObjectNode();
      int memory = a.path("memory_limit_mb").asInt(256);
      long timeoutMs = a.path("timeout_ms").asLong(60_000);
      out.add(new BenchAction(name, image, a.path("main").asText("main"), Files.readString(code), p, Math.max(128, memory),
          Duration.ofMillis(timeoutMs)));
    }
    return out;
  }

  public static BenchAction builtin(String image) {
    return new BenchAction("builtin", image, "main", BUILTIN_CODE, JSON.createObjectNode(), 256, Duration.ofSeconds(60));
  }

  private static String required(JsonNode a, String field, Path manifest) throws IOException {
    JsonNode v = a.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IOException("action manifest " + manifest + ": an action lacks \"" + field + "\": " + a);
    }
    return v.asText();
  }
}
