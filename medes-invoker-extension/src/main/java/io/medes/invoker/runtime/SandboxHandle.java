package io.medes.invoker.runtime;

import java.net.InetSocketAddress;

/**
 * A sandbox as a backend knows it while its processes exist: where the action runtime listens and which
 * host process is its root (for memory accounting).
 *
 * @param spec what the sandbox was made from
 * @param backendId the backend's own id (Docker container id, runc container id)
 * @param endpoint the action runtime's HTTP endpoint (port 8080 inside the sandbox)
 * @param rootPid host pid of the sandbox's first process
 */
public record SandboxHandle(SandboxSpec spec, String backendId, InetSocketAddress endpoint, long rootPid) {}
