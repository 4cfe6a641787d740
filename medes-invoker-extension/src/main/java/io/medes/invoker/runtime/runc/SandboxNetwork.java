package io.medes.invoker.runtime.runc;

import io.medes.invoker.runtime.CommandRunner;
import io.medes.invoker.runtime.SandboxRuntimeException;
import io.medes.invoker.runtime.Subnet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network plumbing of runc sandboxes: one bridge on the host (gateway = the subnet's first address), and
 * per sandbox a network namespace with a veth pair (host end on the bridge, {@code eth0} inside) and a
 * unique address. The invoker reaches a sandbox at {@code address:8080} through the bridge.
 *
 * <p>Addresses are leased as files {@code <leaseDir>/<address>} created atomically, so several invoker
 * processes (or a test next to a benchmark) never hand out the same address.
 */
final class SandboxNetwork {
  /** A sandbox's network namespace and address. */
  record Attachment(String sandboxId, String namespace, Path namespacePath, String address, String hostVeth) {}

  private final CommandRunner commands;
  private final String bridge;
  private final Subnet subnet;
  private final Path leaseDir;
  private final Duration timeout;
  private final AtomicInteger cursor;
  private volatile boolean bridgeReady;

  SandboxNetwork(CommandRunner commands, String bridge, Subnet subnet, Path leaseDir, Duration timeout) {
    this.commands = commands;
    this.bridge = bridge;
    this.subnet = subnet;
    this.leaseDir = leaseDir;
    this.timeout = timeout;
    // Start at a random slot so that restarted invokers do not all probe the same leases first.
    this.cursor = new AtomicInteger((int) (Math.random() * subnet.sandboxCapacity()));
  }

  /** Creates the bridge with the gateway address unless it exists. Idempotent, safe across processes. */
  synchronized void ensureBridge() throws SandboxRuntimeException {
    if (bridgeReady) return;
    if (!commands.run(List.of("ip", "link", "show", bridge), timeout).ok()) {
      CommandRunner.Result add = commands.run(List.of("ip", "link", "add", bridge, "type", "bridge"), timeout);
      if (!add.ok() && !add.output().contains("File exists")) {
        throw new SandboxRuntimeException("cannot create bridge " + bridge + ": " + add.output().strip());
      }
    }
    String gateway = subnet.gateway() + "/" + subnet.prefixLength();
    String addrs = commands.check(List.of("ip", "-o", "addr", "show", "dev", bridge), timeout);
    if (!addrs.contains(" " + gateway + " ")) {
      CommandRunner.Result add = commands.run(List.of("ip", "addr", "add", gateway, "dev", bridge), timeout);
      if (!add.ok() && !add.output().contains("File exists")) {
        throw new SandboxRuntimeException("cannot give bridge " + bridge + " address " + gateway + ": " + add.output().strip());
      }
    }
    commands.check(List.of("ip", "link", "set", bridge, "up"), timeout);
    bridgeReady = true;
  }

  /** Creates the namespace, veth pair and address for a sandbox (two {@code ip -batch} runs). */
  Attachment attach(String sandboxId) throws SandboxRuntimeException {
    ensureBridge();
    int slot = lease(sandboxId);
    String address = subnet.sandboxAddress(slot);
    String namespace = "medes-" + sandboxId;
    // Interface names are limited to 15 characters; the lease slot is unique among live sandboxes.
    String hostVeth = "mv" + Integer.toHexString(slot);
    Attachment a = new Attachment(sandboxId, namespace, Path.of("/var/run/netns", namespace), address, hostVeth);
    try {
      String host = "netns add " + namespace + "\n"
          + "link add " + hostVeth + " type veth peer name eth0 netns " + namespace + "\n"
          + "link set " + hostVeth + " master " + bridge + " up\n";
      batch(List.of("ip", "-batch", "-"), host, "host side of " + namespace);
      String inside = "link set lo up\n"
          + "addr add " + address + "/" + subnet.prefixLength() + " dev eth0\n"
          + "link set eth0 up\n"
          + "route add default via " + subnet.gateway() + "\n";
      batch(List.of("ip", "-n", namespace, "-batch", "-"), inside, "inside of " + namespace);
      return a;
    } catch (SandboxRuntimeException e) {
      detach(a);
      throw e;
    }
  }

  /** Deletes the namespace (which deletes the veth pair) and releases the address. Never throws. */
  void detach(Attachment a) {
    try {
      commands.run(List.of("ip", "netns", "delete", a.namespace()), timeout);
      // The host end normally vanishes with its peer; remove it explicitly if the namespace never got it.
      if (Files.exists(Path.of("/sys/class/net", a.hostVeth()))) {
        commands.run(List.of("ip", "link", "delete", a.hostVeth()), timeout);
      }
    } catch (SandboxRuntimeException e) {
      // best effort: a leftover namespace is reported by the caller's cleanup check
    }
    try {
      Files.deleteIfExists(leaseDir.resolve(a.address()));
    } catch (IOException e) {
      // a stale lease only costs one address
    }
  }

  private void batch(List<String> command, String script, String what) throws SandboxRuntimeException {
    CommandRunner.Result r = commands.run(command, script.getBytes(StandardCharsets.UTF_8), timeout);
    if (!r.ok()) {
      throw new SandboxRuntimeException("network setup (" + what + ") failed: " + r.output().strip());
    }
  }

  private int lease(String sandboxId) throws SandboxRuntimeException {
    try {
      Files.createDirectories(leaseDir);
    } catch (IOException e) {
      throw new SandboxRuntimeException("cannot create lease directory " + leaseDir, e);
    }
    int capacity = subnet.sandboxCapacity();
    for (int attempt = 0; attempt < capacity; attempt++) {
      int slot = Math.floorMod(cursor.getAndIncrement(), capacity);
      Path lease = leaseDir.resolve(subnet.sandboxAddress(slot));
      try {
        Files.writeString(lease, sandboxId, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        // A host veth of the same name would mean a leaked sandbox still holds this slot.
        if (Files.exists(Path.of("/sys/class/net", "mv" + Integer.toHexString(slot)))) {
          continue;
        }
        return slot;
      } catch (FileAlreadyExistsException taken) {
        // leased by another sandbox; try the next slot
      } catch (IOException e) {
        throw new SandboxRuntimeException("cannot write address lease " + lease, e);
      }
    }
    throw new SandboxRuntimeException("no free address left in " + subnet + " (" + capacity + " leases under " + leaseDir + ")");
  }
}
