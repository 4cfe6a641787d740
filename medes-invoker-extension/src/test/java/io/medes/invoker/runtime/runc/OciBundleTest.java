package io.medes.invoker.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medes.invoker.runtime.SandboxSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciBundleTest {
  private final ImageRootfs image = new ImageRootfs("abc", Path.of("/var/lib/medes/rootfs/abc"),
      List.of("/usr/bin/python3", "-u", "/action/runner.py"), List.of("PYTHONDONTWRITEBYTECODE=1", "LANG=C"), "/action");
  private final SandboxSpec spec = new SandboxSpec("s1", "medes/python3-action:latest", "guest", "hello", 256, Map.of("LANG", "C.UTF-8"));

  @Test
  void runsTheImageProcessInFreshNamespacesAndTheSandboxNetwork() {
    ObjectNode c = OciBundle.config(spec, image, Path.of("/dev/shm/s1/rootfs"), Path.of("/var/run/netns/medes-s1"), "/medes/s1", 1024);
    assertThat(texts(c.at("/process/args"))).containsExactly("/usr/bin/python3", "-u", "/action/runner.py");
    assertThat(c.at("/process/terminal").asBoolean()).isFalse();
    assertThat(c.at("/process/cwd").asText()).isEqualTo("/action");
    assertThat(c.at("/root/path").asText()).isEqualTo("/dev/shm/s1/rootfs");
    List<String> namespaces = new ArrayList<>();
    for (JsonNode ns : c.at("/linux/namespaces")) {
      namespaces.add(ns.get("type").asText() + (ns.has("path") ? "=" + ns.get("path").asText() : ""));
    }
    assertThat(namespaces).containsExactlyInAnyOrder("pid", "ipc", "uts", "mount", "network=/var/run/netns/medes-s1");
    assertThat(c.at("/linux/cgroupsPath").asText()).isEqualTo("/medes/s1");
    assertThat(c.at("/linux/resources/memory/limit").asLong()).isEqualTo(256L * 1024 * 1024);
    assertThat(c.at("/linux/resources/pids/limit").asInt()).isEqualTo(1024);
    assertThat(texts(c.at("/process/capabilities/bounding"))).doesNotContain("CAP_NET_RAW", "CAP_NET_ADMIN", "CAP_SYS_ADMIN");
    List<String> mounts = new ArrayList<>();
    c.at("/mounts").forEach(m -> mounts.add(m.get("destination").asText()));
    assertThat(mounts).contains("/proc", "/dev", "/sys").doesNotContain("/sys/fs/cgroup");
  }

  @Test
  void sandboxEnvironmentOverridesTheImagesAndPathIsDefaulted() {
    assertThat(OciBundle.environment(image.env(), spec.environment()))
        .containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PYTHONDONTWRITEBYTECODE=1", "LANG=C.UTF-8");
    assertThat(OciBundle.environment(List.of("PATH=/opt/bin"), Map.of())).containsExactly("PATH=/opt/bin");
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void pagesGateIsAOneTimeCreateRuntimeHookReadingTheFifoWithATimeout() {
    ObjectNode c = OciBundle.config(spec, image, Path.of("/dev/shm/s1/rootfs"), Path.of("/var/run/netns/medes-s1"), "/medes/s1", 1024);
    ObjectNode gated = OciBundle.withPagesGate(c, Path.of("/dev/shm/s1/pages-ready"), 31);

    assertThat(c.has("hooks")).as("the cold-start configuration stays without hooks").isFalse();
    var hooks = gated.get("hooks").get("createRuntime");
    assertThat(hooks).hasSize(1);
    var hook = hooks.get(0);
    assertThat(hook.get("path").asText()).isEqualTo("/bin/sh");
    assertThat(hook.get("args").get(2).asText()).contains("read -r status").contains("= ok");
    assertThat(hook.get("args").get(4).asText()).isEqualTo("/dev/shm/s1/pages-ready");
    assertThat(hook.get("timeout").asLong()).isEqualTo(31);
    gated.remove("hooks");
    assertThat(gated).as("nothing else differs").isEqualTo(c);
  }
}
