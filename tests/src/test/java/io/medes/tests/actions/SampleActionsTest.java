package io.medes.tests.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every sample action listed in runtime-patches/actions/manifest.json with the host's Debian
 * Python and checks that it really did its work: generic contract checks (JSON object result,
 * determinism within a warm process and across processes, seed sensitivity, typed errors for bad
 * params, libraries imported at load time, peak RSS within the declared memory limit) and one
 * action-specific property each, re-verified in Java where possible (sieve, BigInteger, javax.crypto).
 */
@Tag("integration")
class SampleActionsTest {

    private static final List<String> EXPECTED_ACTIONS = List.of("vanilla", "linalg", "imagepro", "videopro",
            "mapreduce", "htmlserve", "authenc", "featuregen", "rnnmodel", "modeltrain");

    private static LocalActionHarness harness;

    @BeforeAll
    static void locateActions() {
        assumeTrue(Files.isExecutable(LocalActionHarness.PYTHON),
                "needs the Debian interpreter " + LocalActionHarness.PYTHON + " (set -Dmedes.python=...)");
        harness = LocalActionHarness.locate();
    }

    static Stream<String> manifestActions() {
        return LocalActionHarness.locate().actionNames().stream();
    }

    @Test
    void manifestListsTheTenPaperFunctionsInPaperOrder() {
        assertThat(harness.actionNames()).containsExactlyElementsOf(EXPECTED_ACTIONS);
        for (int appl = 0; appl < EXPECTED_ACTIONS.size(); appl++) {
            JsonNode entry = harness.manifestEntry(EXPECTED_ACTIONS.get(appl));
            assertThat(entry.path("paper_appl").asInt()).isEqualTo(appl);
            assertThat(entry.path("kind").asText()).isEqualTo("python:3");
            assertThat(entry.path("main").asText()).isEqualTo("main");
            int paperLimit = Math.max(128, (int) Math.ceil(entry.path("paper_memory_mb").asDouble() / 128.0) * 128);
            assertThat(entry.path("paper_memory_limit_mb").asInt()).isEqualTo(paperLimit);
            assertThat(entry.path("memory_limit_mb").asInt()).isGreaterThanOrEqualTo(paperLimit);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestActions")
    void isDeterministicPerSeedAndItsManifestDefaultsMatchTheCode(String name) {
        ObjectNode defaults = harness.defaultParams(name);
        JsonNode report = harness.run(name, defaults, defaults, LocalActionHarness.JSON.createObjectNode(),
                harness.params(name, Map.of("seed", 2)));
        List<JsonNode> results = LocalActionHarness.results(report);
        for (JsonNode result : results) {
            assertThat(result.isObject()).as("%s result is a JSON object", name).isTrue();
            assertThat(result.has("error")).as("%s returned an error: %s", name, result).isFalse();
            assertThat(result.path("checksum").asText()).as("%s checksum", name).matches("[0-9a-f]{64}");
        }
        String checksum = results.get(0).path("checksum").asText();
        assertThat(results.get(1).path("checksum").asText()).as("second warm run").isEqualTo(checksum);
        assertThat(results.get(2).path("checksum").asText()).as("run with {} (code defaults)").isEqualTo(checksum);
        assertThat(results.get(3).path("checksum").asText()).as("run with seed 2").isNotEqualTo(checksum);

        JsonNode freshProcess = harness.run(name, defaults);
        assertThat(LocalActionHarness.results(freshProcess).get(0).path("checksum").asText())
                .as("same seed in another process").isEqualTo(checksum);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestActions")
    void importsItsLibrariesAtLoadTimeAndFitsItsMemoryLimit(String name) {
        JsonNode entry = harness.manifestEntry(name);
        JsonNode report = harness.run(name, harness.defaultParams(name));
        Set<String> present = new HashSet<>();
        report.path("modules_present_after_import").forEach(m -> present.add(m.asText()));
        List<String> declared = new ArrayList<>();
        entry.path("imports").forEach(m -> declared.add(m.asText()));
        assertThat(present).as("modules loaded by importing %s", name).containsAll(declared);

        long peakKb = report.path("peak_rss_kb").asLong();
        assertThat(peakKb).as("peak RSS of %s in KiB", name).isPositive()
                .isLessThanOrEqualTo(entry.path("memory_limit_mb").asLong() * 1024);
        assertThat(report.path("rss_after_import_kb").asLong())
                .isGreaterThanOrEqualTo(report.path("baseline_rss_kb").asLong());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestActions")
    void rejectsABadSeedWithAnApplicationError(String name) {
        JsonNode result = harness.result(name, harness.params(name, Map.of("seed", "not-a-number")));
        assertThat(result.path("error").asText()).contains("'seed'").contains("not-a-number");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifestActions")
    void doesItsActionSpecificWork(String name) throws Exception {
        switch (name) {
            case "vanilla" -> checkVanilla();
            case "linalg" -> checkLinAlg();
            case "imagepro" -> checkImagePro();
            case "videopro" -> checkVideoPro();
            case "mapreduce" -> checkMapReduce();
            case "htmlserve" -> checkHtmlServe();
            case "authenc" -> checkAuthEnc();
            case "featuregen" -> checkFeatureGen();
            case "rnnmodel" -> checkRnnModel();
            case "modeltrain" -> checkModelTrain();
            default -> fail("no action-specific check for manifest action '%s'", name);
        }
    }

    private static void checkVanilla() {
        int limit = 1_000_000;
        JsonNode r = harness.result("vanilla", harness.params("vanilla", Map.of("n", limit, "fib", 90, "seed", 7)));
        boolean[] composite = new boolean[limit + 1];
        int count = 0;
        long sum = 0;
        int largest = 0;
        for (int i = 2; i <= limit; i++) {
            if (!composite[i]) {
                count++;
                sum += i;
                largest = i;
                for (long j = (long) i * i; j <= limit; j += i) {
                    composite[(int) j] = true;
                }
            }
        }
        assertThat(r.path("prime_count").asInt()).isEqualTo(count);
        assertThat(r.path("prime_sum").asLong()).isEqualTo(sum);
        assertThat(r.path("largest_prime").asInt()).isEqualTo(largest);

        BigInteger a = BigInteger.ZERO;
        BigInteger b = BigInteger.ONE;
        for (int i = 0; i < 90; i++) {
            BigInteger next = a.add(b);
            a = b;
            b = next;
        }
        assertThat(r.path("fib_last_20_digits").asText()).isEqualTo(a.toString());
        assertThat(r.path("fib_mod_1e9_7").asLong()).isEqualTo(a.mod(BigInteger.valueOf(1_000_000_007)).longValue());

        JsonNode drawn = r.path("drawn_numbers");
        JsonNode flags = r.path("drawn_prime_flags");
        assertThat(drawn.size()).isEqualTo(20);
        for (int i = 0; i < drawn.size(); i++) {
            int x = drawn.get(i).asInt();
            assertThat(flags.get(i).asBoolean()).as("is %d prime", x).isEqualTo(BigInteger.valueOf(x).isProbablePrime(60));
        }
    }

    private static void checkLinAlg() {
        JsonNode r = harness.result("linalg", harness.params("linalg", Map.of("n", 200, "seed", 3)));
        assertThat(r.path("solve_relative_residual").asDouble()).isLessThan(1e-10);
        double frobenius = r.path("frobenius_sq").asDouble();
        assertThat(r.path("sum_singular_values_sq").asDouble()).isCloseTo(frobenius, within(frobenius * 1e-9));
        double maxSingular = r.path("max_singular_value").asDouble();
        double maxGram = r.path("max_gram_eigenvalue").asDouble();
        assertThat(maxSingular * maxSingular).isCloseTo(maxGram, within(maxGram * 1e-9));
        double minSingular = r.path("min_singular_value").asDouble();
        assertThat(minSingular).isPositive();
        assertThat(r.path("condition_number").asDouble())
                .isCloseTo(maxSingular / minSingular, within(maxSingular / minSingular * 1e-12));
        double logDet = r.path("log_abs_det").asDouble();
        assertThat(r.path("sum_log_singular_values").asDouble()).isCloseTo(logDet, within(1e-6 * Math.max(1, Math.abs(logDet))));
        double trace = r.path("product_trace").asDouble();
        assertThat(r.path("product_trace_check").asDouble()).isCloseTo(trace, within(1e-8 * Math.max(1, Math.abs(trace))));
        assertThat(r.path("x_head").size()).isEqualTo(5);
    }

    private static void checkImagePro() {
        int width = 300;
        int height = 200;
        JsonNode r = harness.result("imagepro",
                harness.params("imagepro", Map.of("width", width, "height", height, "seed", 5)));
        assertThat(ints(r.path("original_size"))).containsExactly(width, height);
        assertThat(ints(r.path("resized_size"))).containsExactly(width / 2, height / 2);
        assertThat(ints(r.path("rotated_90_size"))).containsExactly(height / 2, width / 2);
        double angle = Math.toRadians(30);
        double rotatedWidth = (width / 2) * Math.cos(angle) + (height / 2) * Math.sin(angle);
        double rotatedHeight = (width / 2) * Math.sin(angle) + (height / 2) * Math.cos(angle);
        assertThat(r.path("rotated_30_size").get(0).asDouble()).isCloseTo(rotatedWidth, within(2.0));
        assertThat(r.path("rotated_30_size").get(1).asDouble()).isCloseTo(rotatedHeight, within(2.0));
        // Thumbnail keeps the aspect ratio inside 128 x 128.
        assertThat(ints(r.path("thumbnail_size"))).containsExactly(128, 85);
        assertThat(ints(r.path("jpeg_decoded_size"))).containsExactly(width / 2, height / 2);
        assertThat(r.path("png_signature_hex").asText()).isEqualTo("89504e470d0a1a0a");
        assertThat(r.path("png_roundtrip_digest").asText()).isEqualTo(r.path("grey_pixel_digest").asText());
        assertThat(r.path("grey_mode").asText()).isEqualTo("L");
        assertThat(r.path("edge_pixels_over_64").asInt()).isPositive();
    }

    private static void checkVideoPro() {
        int frames = 12;
        JsonNode report = harness.run("videopro",
                harness.params("videopro", Map.of("frames", frames, "encode", "auto")),
                harness.params("videopro", Map.of("frames", frames, "encode", "imencode")));
        List<JsonNode> results = LocalActionHarness.results(report);
        for (JsonNode r : results) {
            assertThat(r.path("frames").asInt()).isEqualTo(frames);
            assertThat(ints(r.path("frame_shape"))).containsExactly(240, 320, 3);
            List<Integer> edges = ints(r.path("edge_pixels_per_frame"));
            assertThat(edges).hasSize(frames).allSatisfy(e -> assertThat(e).isPositive());
            assertThat(r.path("edge_pixels_total").asInt()).isEqualTo(edges.stream().mapToInt(Integer::intValue).sum());
            assertThat(r.path("encoding").path("frames_read_back").asInt()).isEqualTo(frames);
            assertThat(r.path("encoding").path("bytes").asLong()).isPositive();
        }
        assertThat(results.get(1).path("encoding").path("method").asText()).contains("imencode");
        // Edge detection does not depend on how the frames are encoded afterwards.
        assertThat(results.get(1).path("checksum").asText()).isEqualTo(results.get(0).path("checksum").asText());
    }

    private static void checkMapReduce() {
        int lines = 2000;
        int wordsPerLine = 25;
        JsonNode report = harness.run("mapreduce",
                harness.params("mapreduce", Map.of("lines", lines, "words_per_line", wordsPerLine, "mode", "pool")),
                harness.params("mapreduce", Map.of("lines", lines, "words_per_line", wordsPerLine, "mode", "inprocess")));
        List<JsonNode> results = LocalActionHarness.results(report);
        JsonNode pool = results.get(0);
        JsonNode inProcess = results.get(1);
        assertThat(pool.has("error")).as("pool mode on this host: %s", pool).isFalse();
        assertThat(pool.path("mode").asText()).isEqualTo("pool");
        assertThat(pool.path("pool_processes").asInt()).isEqualTo(2);
        assertThat(inProcess.path("mode").asText()).isEqualTo("inprocess");
        for (JsonNode r : results) {
            assertThat(r.path("total_words").asInt()).isEqualTo(lines * wordsPerLine);
            long previous = Long.MAX_VALUE;
            for (JsonNode entry : r.path("top_words")) {
                assertThat(entry.get(1).asLong()).isLessThanOrEqualTo(previous);
                previous = entry.get(1).asLong();
            }
        }
        assertThat(pool.path("checksum").asText()).isEqualTo(inProcess.path("checksum").asText());
        assertThat(pool.path("top_words")).isEqualTo(inProcess.path("top_words"));
    }

    private static void checkHtmlServe() throws Exception {
        int rows = 40;
        JsonNode r = harness.result("htmlserve",
                harness.params("htmlserve", Map.of("rows", rows, "seed", 9, "return_html", true)));
        String html = r.path("html").asText();
        assertThat(countOf(html, "<tr")).isEqualTo(rows + 1);
        assertThat(html).doesNotContain("<script>");
        assertThat(r.path("notes_with_markup").asInt()).isPositive();
        assertThat(countOf(html, "&lt;script&gt;")).isEqualTo(r.path("notes_with_markup").asInt());
        Matcher score = Pattern.compile("data-score=\"([0-9.]+)\"").matcher(html);
        double total = 0;
        int scored = 0;
        while (score.find()) {
            total += Double.parseDouble(score.group(1));
            scored++;
        }
        assertThat(scored).isEqualTo(rows);
        assertThat(total).isCloseTo(r.path("total_score").asDouble(), within(0.01));
        byte[] utf8 = html.getBytes(StandardCharsets.UTF_8);
        assertThat(r.path("html_bytes").asInt()).isEqualTo(utf8.length);
        assertThat(r.path("checksum").asText()).isEqualTo(hex(sha256(utf8)));
    }

    private static void checkAuthEnc() throws Exception {
        byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        // Near the top of the 128-bit range, so CTR's counter carries across bytes in the first blocks.
        byte[] iv = HexFormat.of().parseHex("00112233445566778899aabbfffffffe");
        int size = 1000;
        for (String mode : List.of("ctr", "cbc")) {
            JsonNode r = harness.result("authenc", harness.params("authenc", Map.of("mode", mode, "size", size,
                    "key_hex", HexFormat.of().formatHex(key), "iv_hex", HexFormat.of().formatHex(iv),
                    "return_ciphertext", true)));
            assertThat(r.path("roundtrip_ok").asBoolean()).isTrue();
            assertThat(r.path("mac_verified").asBoolean()).isTrue();
            assertThat(r.path("tamper_detected").asBoolean()).isTrue();
            assertThat(r.path("decrypted_sha256").asText()).isEqualTo(r.path("message_sha256").asText());

            byte[] ciphertext = Base64.getDecoder().decode(r.path("ciphertext_b64").asText());
            assertThat(ciphertext.length).isEqualTo(mode.equals("ctr") ? size : (size / 16 + 1) * 16);
            Cipher cipher = Cipher.getInstance(mode.equals("ctr") ? "AES/CTR/NoPadding" : "AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            byte[] plaintext = cipher.doFinal(ciphertext);
            assertThat(hex(sha256(plaintext))).as("javax.crypto decryption of the %s ciphertext", mode)
                    .isEqualTo(r.path("message_sha256").asText());

            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(sha256(concat("mac".getBytes(StandardCharsets.US_ASCII), key)), "HmacSHA256"));
            mac.update(iv);
            assertThat(hex(mac.doFinal(ciphertext))).isEqualTo(r.path("hmac_sha256").asText());
        }
    }

    private static void checkFeatureGen() {
        int documents = 400;
        int topics = 4;
        JsonNode r = harness.result("featuregen", harness.params("featuregen",
                Map.of("documents", documents, "topics", topics, "max_features", 3000)));
        assertThat(r.path("shape").get(0).asInt()).isEqualTo(documents);
        assertThat(r.path("shape").get(1).asInt()).isBetween(1, 3000);
        assertThat(r.path("row_norm_min").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(r.path("row_norm_max").asDouble()).isCloseTo(1.0, within(1e-9));
        JsonNode nonzero = r.path("nonzero_describe");
        assertThat(nonzero.path("count").asInt()).isEqualTo(documents);
        assertThat(nonzero.path("mean").asDouble() * documents).isCloseTo(r.path("nnz").asDouble(), within(1e-6));
        int perTopicDocuments = 0;
        for (JsonNode topic : r.path("per_topic")) {
            perTopicDocuments += topic.path("documents").asInt();
        }
        assertThat(perTopicDocuments).isEqualTo(documents);
        JsonNode centroids = r.path("topic_centroid_top_terms");
        assertThat(centroids.size()).isEqualTo(topics);
        for (int topic = 0; topic < topics; topic++) {
            String prefix = "t" + topic;
            for (JsonNode term : centroids.path(String.valueOf(topic))) {
                assertThat(term.asText().split(" ")).as("top term of topic %d's centroid", topic)
                        .anySatisfy(token -> assertThat(token).startsWith(prefix));
            }
        }
    }

    private static void checkRnnModel() {
        int batch = 4;
        int steps = 7;
        int input = 5;
        int hidden = 6;
        int layers = 3;
        int classes = 3;
        Map<String, Integer> gates = Map.of("gru", 3, "lstm", 4, "rnn", 1);
        for (Map.Entry<String, Integer> cell : gates.entrySet()) {
            JsonNode r = harness.result("rnnmodel", harness.params("rnnmodel", Map.of("cell", cell.getKey(),
                    "batch", batch, "steps", steps, "input_size", input, "hidden_size", hidden,
                    "layers", layers, "classes", classes)));
            assertThat(ints(r.path("output_shape"))).containsExactly(batch, steps, hidden);
            assertThat(ints(r.path("hidden_shape"))).containsExactly(layers, batch, hidden);
            assertThat(ints(r.path("probabilities_shape"))).containsExactly(batch, classes);
            assertThat(r.path("last_step_vs_final_hidden_max_abs").asDouble()).isLessThan(1e-6);
            assertThat(r.path("softmax_row_sum_min").asDouble()).isCloseTo(1.0, within(1e-5));
            assertThat(r.path("softmax_row_sum_max").asDouble()).isCloseTo(1.0, within(1e-5));
            long expectedParameters = (long) hidden * classes + classes;
            for (int layer = 0; layer < layers; layer++) {
                int in = layer == 0 ? input : hidden;
                expectedParameters += (long) cell.getValue() * hidden * (in + hidden + 2);
            }
            assertThat(r.path("parameters").asLong()).as("%s parameter count", cell.getKey()).isEqualTo(expectedParameters);
            assertThat(ints(r.path("predicted_classes"))).hasSize(batch).allSatisfy(c -> assertThat(c).isBetween(0, classes - 1));
        }
    }

    private static void checkModelTrain() {
        JsonNode report = harness.run("modeltrain", harness.defaultParams("modeltrain"),
                harness.params("modeltrain", Map.of("shuffle_labels", true)));
        List<JsonNode> results = LocalActionHarness.results(report);
        JsonNode trained = results.get(0);
        JsonNode control = results.get(1);
        JsonNode defaults = harness.defaultParams("modeltrain");
        int documents = defaults.path("documents").asInt();
        assertThat(trained.path("train_documents").asInt() + trained.path("test_documents").asInt()).isEqualTo(documents);
        assertThat(trained.path("test_documents").asInt())
                .isEqualTo((int) Math.round(documents * defaults.path("test_fraction").asDouble()));
        assertThat(trained.path("test_accuracy").asDouble()).isGreaterThan(0.7)
                .isGreaterThan(trained.path("majority_baseline").asDouble() + 0.2);
        assertThat(strings(trained.path("top_positive_terms"))).filteredOn(t -> t.startsWith("pos")).hasSizeGreaterThanOrEqualTo(8);
        assertThat(strings(trained.path("top_negative_terms"))).filteredOn(t -> t.startsWith("neg")).hasSizeGreaterThanOrEqualTo(8);
        // With permuted training labels nothing generalises: held-out accuracy falls to chance.
        assertThat(control.path("shuffle_labels").asBoolean()).isTrue();
        assertThat(control.path("test_accuracy").asDouble()).isLessThan(0.6);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static int countOf(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            count++;
        }
        return count;
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
