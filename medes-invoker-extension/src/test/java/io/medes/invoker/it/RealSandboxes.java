package io.medes.invoker.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medes.config.MedesConfig;
import io.medes.invoker.runtime.InvokerSettings;
import io.medes.invoker.runtime.Mounts;
import io.medes.invoker.runtime.SandboxSpec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Shared pieces of the tests that run real sandboxes: which runtime image, settings isolated under a
 * per-run tmpfs directory, and a small stateful action.
 */
public final class RealSandboxes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A Python action with state that must survive checkpoint/restore: a counter and 4 MiB of random bytes
   * whose digest every /run returns.
   */
  public static final String COUNTER_ACTION = String.join("\n",
      "import hashlib, os",
      "state = bytearray(os.urandom(4 * 1024 * 1024))",
      "digest = hashlib.sha256(state).hexdigest()",
      "count = 0",
      "def main(args):",
      "    global count",
      "    count += 1",
      "    return {'count': count, 'echo': args.get('echo'), 'digest': hashlib.sha256(state).hexdigest(), 'initial': digest}",
      "");

  private RealSandboxes() {}

  /**
   * The Python runtime image: {@code -Dmedes.test.image} or {@code MEDES_TEST_IMAGE}, else
   * {@code medes/python3-action:latest} (built by scripts/setup).
   */
  public static String pythonImage() {
    String configured = System.getProperty("medes.test.image", System.getenv("MEDES_TEST_IMAGE"));
    String image = configured != null && !configured.isBlank() ? configured : "medes/python3-action:latest";
    if (!imageExists(image)) {
      throw new IllegalStateException("runtime image " + image + " is not in the local Docker engine: run scripts/setup "
          + "(builds medes/python3-action) or set -Dmedes.test.image");
    }
    return image;
  }

  static boolean imageExists(String image) {
    try {
      Process p = new ProcessBuilder("docker", "image", "inspect", image).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Default settings with the given backend and tmpfs roots private to this test run. */
  public static InvokerSettings settings(InvokerSettings.Backend backend, Path privateRoot) {
    return InvokerSettings.from(MedesConfig.load(Map.of()))
        .withBackend(backend)
        .withRoots(privateRoot.resolve("checkpoints"), privateRoot.resolve("sandboxes"));
  }

  /** A fresh directory under /dev/shm for one test class. */
  public static Path privateTmpfsRoot(String name) throws IOException {
    return Files.createTempDirectory(Path.of("/dev/shm"), "medes-it-" + name + "-");
  }

  public static SandboxSpec spec(String id, String image) {
    return new SandboxSpec(id, image, "guest", "counter", 256, Map.of());
  }

  public static ObjectNode initValue(String code) {
    ObjectNode v = JSON.createObjectNode();
    v.put("name", "counter");
    v.put("main", "main");
    v.put("code", code);
    v.put("binary", false);
    v.putObject("env").put("__OW_NAMESPACE", "guest");
    return v;
  }

  public static ObjectNode runBody(String echo) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("value").put("echo", echo);
    body.put("namespace", "guest");
    body.put("action_name", "/guest/counter");
    body.put("activation_id", "0123456789abcdef0123456789abcdef");
    body.put("transaction_id", "tid");
    body.put("deadline", Long.toString(System.currentTimeMillis() + 60_000));
    return body;
  }

  /** Network namespaces whose name starts with {@code medes-<prefix>} (leaks of a test). */
  public static List<String> leftoverNamespaces(String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    Path dir = Path.of("/var/run/netns");
    if (!Files.isDirectory(dir)) return out;
    try (var s = Files.list(dir)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("medes-" + prefix)).forEach(out::add);
    }
    return out;
  }

  /** Overlay mounts under a directory (leaks of a test). */
  public static List<String> leftoverMounts(Path under) throws IOException {
    List<String> out = new ArrayList<>();
    for (Mounts.Mount m : Mounts.current()) {
      if (m.point().startsWith(under.toString())) out.add(m.point());
    }
    return out;
  }

  /** Mount points of CRIU cgroup yards (a CRIU killed mid-restore leaves its yard mounted). */
  public static Set<String> criuCgroupYards() throws IOException {
    Set<String> out = new HashSet<>();
    for (Mounts.Mount m : Mounts.current()) {
      if (m.point().contains("/.criu.cgyard.")) out.add(m.point());
    }
    return out;
  }

  /** runc state directories of sandboxes whose id starts with the prefix. */
  public static List<String> leftoverRuncState(Path runcRoot, String prefix) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(runcRoot)) return out;
    try (var s = Files.list(runcRoot)) {
      s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).forEach(out::add);
    }
    return out;
  }

  /** Docker containers carrying the sandbox label with a value starting with the prefix. */
  public static List<String> leftoverContainers(String prefix) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("docker", "ps", "-a", "--filter", "label=io.medes.sandbox", "--format", "{{.Names}}")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    List<String> names = new ArrayList<>();
    for (String n : out.split("\n")) if (n.startsWith("medes-" + prefix)) names.add(n);
    return names;
  }

  /** Docker's containerd client's unpacked restore checkpoints under dockerd's temporary directory. */
  public static Set<String> containerdCheckpointDirs(Path dockerTemp) throws IOException {
    Set<String> found = new TreeSet<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dockerTemp, "ctrd-checkpoint*")) {
      dirs.forEach(d -> found.add(d.getFileName().toString()));
    }
    return found;
  }
}
