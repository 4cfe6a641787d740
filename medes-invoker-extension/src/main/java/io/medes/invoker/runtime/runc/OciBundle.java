package io.medes.invoker.runtime.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.medes.invoker.runtime.SandboxSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime configuration ({@code config.json}) of one sandbox: the image's process, Docker's
 * default capabilities minus NET_RAW (OpenWhisk drops NET_RAW and NET_ADMIN), OpenWhisk's limits
 * (memory, 1024 pids, 1024 open files), fresh pid/ipc/uts/mount namespaces and the sandbox's
 * pre-made network namespace.
 *
 * <p>No cgroup file system is mounted inside: the runtime has no use for it and each extra mount is work
 * for every CRIU dump and restore.
 */
final class OciBundle {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> CAPABILITIES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_SETGID", "CAP_SETUID",
      "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
  private static final List<String> MASKED = List.of(
      "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
      "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi");
  private static final List<String> READ_ONLY = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private OciBundle() {}

  static ObjectNode config(SandboxSpec spec, ImageRootfs image, Path rootfs, Path netns, String cgroupsPath, int pidsLimit) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ociVersion", "1.0.2");

    ObjectNode process = root.putObject("process");
    process.put("terminal", false);
    process.putObject("user").put("uid", 0).put("gid", 0);
    ArrayNode args = process.putArray("args");
    image.args().forEach(args::add);
    process.set("env", JSON.valueToTree(environment(image.env(), spec.environment())));
    process.put("cwd", image.workingDir());
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = caps.putArray(set);
      CAPABILITIES.forEach(a::add);
    }
    ArrayNode rlimits = process.putArray("rlimits");
    rlimits.addObject().put("type", "RLIMIT_NOFILE").put("hard", 1024).put("soft", 1024);
    process.put("noNewPrivileges", true);

    root.putObject("root").put("path", rootfs.toString()).put("readonly", false);
    // runc hands this file to CRIU as its configuration (it overrides runc's RPC options). The backend
    // writes it only around a restore: see RuncSandboxRuntime#restore.
    root.putObject("annotations").put("org.criu.config", criuConfig(rootfs.getParent()).toString());
    root.put("hostname", "sandbox");

    ArrayNode mounts = root.putArray("mounts");
    mount(mounts, "/proc", "proc", "proc");
    mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
    mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");

    ObjectNode linux = root.putObject("linux");
    linux.put("cgroupsPath", cgroupsPath);
    ObjectNode resources = linux.putObject("resources");
    resources.putArray("devices").addObject().put("allow", false).put("access", "rwm");
    resources.putObject("memory").put("limit", (long) spec.memoryLimitMb() * 1024 * 1024);
    resources.putObject("pids").put("limit", pidsLimit);
    ArrayNode ns = linux.putArray("namespaces");
    ns.addObject().put("type", "pid");
    ns.addObject().put("type", "network").put("path", netns.toString());
    ns.addObject().put("type", "ipc");
    ns.addObject().put("type", "uts");
    ns.addObject().put("type", "mount");
    ArrayNode masked = linux.putArray("maskedPaths");
    MASKED.forEach(masked::add);
    ArrayNode readOnly = linux.putArray("readonlyPaths");
    READ_ONLY.forEach(readOnly::add);
    return root;
  }

  /** Where a sandbox's CRIU configuration file goes (inside its bundle directory). */
  static Path criuConfig(Path bundle) {
    return bundle.resolve("criu.conf");
  }

  /**
   * The configuration with a {@code createRuntime} hook that holds a restore until {@code gate} (a FIFO)
   * yields the line {@code ok}. runc runs the hook when CRIU has set up the namespaces and mounts and
   * before it restores any memory, so the pages can be rebuilt meanwhile. Any other line, end of file
   * (the invoker closed the gate or died) or {@code timeoutSeconds} make the hook, and so the restore, fail.
   */
  static ObjectNode withPagesGate(ObjectNode config, Path gate, long timeoutSeconds) {
    ObjectNode gated = config.deepCopy();
    ArrayNode hooks = gated.putObject("hooks").putArray("createRuntime");
    ObjectNode hook = hooks.addObject().put("path", "/bin/sh");
    hook.putArray("args").add("sh").add("-c").add("read -r status < \"$1\" && [ \"$status\" = ok ]").add("medes-pages-gate")
        .add(gate.toString());
    hook.put("timeout", Math.max(1, timeoutSeconds));
    return gated;
  }

  static void write(ObjectNode config, Path file) throws IOException {
    JSON.writeValue(file.toFile(), config);
  }

  /** Image environment, then the sandbox's own variables (which win); PATH defaulted like Docker. */
  static List<String> environment(List<String> imageEnv, Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String kv : imageEnv) {
      int eq = kv.indexOf('=');
      if (eq > 0) merged.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    merged.putAll(extra);
    List<String> out = new ArrayList<>();
    if (!merged.containsKey("PATH")) out.add(DEFAULT_PATH);
    merged.forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode m = mounts.addObject().put("destination", destination).put("type", type).put("source", source);
    if (options.length > 0) {
      ArrayNode o = m.putArray("options");
      for (String opt : options) o.add(opt);
    }
  }
}
