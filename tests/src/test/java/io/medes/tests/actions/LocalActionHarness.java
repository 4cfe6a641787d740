package io.medes.tests.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the sample actions of {@code runtime-patches/actions} on the host through their harness
 * {@code run_local.py}, with the Debian system interpreter that holds the actions' libraries.
 */
final class LocalActionHarness {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The interpreter with Debian's python3-* libraries; PATH's python3 may be a pyenv shim without them. */
    static final Path PYTHON = Path.of(System.getProperty("medes.python", "/usr/bin/python3"));

    private static final long RUN_TIMEOUT_SECONDS = 300;

    private final Path actionsDir;
    private final JsonNode manifest;
    private final Map<String, JsonNode> actionsByName = new LinkedHashMap<>();

    private LocalActionHarness(Path actionsDir) {
        this.actionsDir = actionsDir;
        Path manifestFile = actionsDir.resolve("manifest.json");
        try {
            this.manifest = JSON.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifestFile, e);
        }
        for (JsonNode action : manifest.path("actions")) {
            actionsByName.put(action.path("name").asText(), action);
        }
        if (actionsByName.isEmpty()) {
            throw new IllegalStateException(manifestFile + " lists no actions");
        }
    }

    /** Finds runtime-patches/actions from the working directory (the tests module) or any parent. */
    static LocalActionHarness locate() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            Path actions = candidate.resolve("runtime-patches").resolve("actions");
            if (Files.isRegularFile(actions.resolve("manifest.json"))) {
                return new LocalActionHarness(actions);
            }
        }
        throw new IllegalStateException("no runtime-patches/actions/manifest.json above " + dir);
    }

    List<String> actionNames() {
        return new ArrayList<>(actionsByName.keySet());
    }

    JsonNode manifestEntry(String name) {
        JsonNode entry = actionsByName.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("no action named '" + name + "' in manifest.json");
        }
        return entry;
    }

    ObjectNode defaultParams(String name) {
        return manifestEntry(name).path("default_params").deepCopy();
    }

    /** Default params with some keys replaced. */
    ObjectNode params(String name, Map<String, ?> overrides) {
        ObjectNode params = defaultParams(name);
        overrides.forEach((key, value) -> params.set(key, JSON.valueToTree(value)));
        return params;
    }

    /**
     * Imports the action in a fresh interpreter and calls main once per params object, in order, in that
     * one process (one warm sandbox serving successive requests). Returns the harness's JSON report.
     */
    JsonNode run(String name, JsonNode... paramSets) {
        manifestEntry(name);
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.add(actionsDir.resolve("run_local.py").toString());
        command.add(actionsDir.resolve(name).toString());
        for (JsonNode params : paramSets) {
            command.add(params.toString());
        }
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            stdout = Files.createTempFile("action-" + name, ".out");
            stderr = Files.createTempFile("action-" + name, ".err");
            process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("action " + name + " did not finish within " + RUN_TIMEOUT_SECONDS + " s");
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("action " + name + " harness exited " + process.exitValue()
                        + " for " + command.subList(3, command.size()) + ":\n" + err);
            }
            return JSON.readTree(Files.readString(stdout, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + name, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Runs main once with the given params and returns its result object. */
    JsonNode result(String name, JsonNode params) {
        return run(name, params).path("runs").get(0).path("result");
    }

    static List<JsonNode> results(JsonNode report) {
        List<JsonNode> results = new ArrayList<>();
        for (Iterator<JsonNode> runs = report.path("runs").elements(); runs.hasNext(); ) {
            results.add(runs.next().path("result"));
        }
        return results;
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless; the test outcome matters more.
        }
    }
}
