package tagger.worker.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tagger.common.Json;

/**
 * A model directory that passed validation: its parsed {@code model.json}, its labels (index i =
 * output i) and the ONNX file they describe. Whether the ONNX file really has the declared names
 * and shapes is checked when the inference session opens it.
 */
public record ModelDirectory(Path directory, ModelSpec spec, List<String> labels) {
    public static final String MODEL_JSON = "model.json";

    public ModelDirectory {
        labels = List.copyOf(labels);
    }

    /** The ONNX file named by {@code model.json}'s {@code file}. */
    public Path modelFile() {
        return directory.resolve(spec.file());
    }

    /**
     * Reads and validates {@code directory}.
     *
     * @throws InvalidModelException listing every problem found
     */
    public static ModelDirectory load(Path directory) {
        Path jsonFile = directory.resolve(MODEL_JSON);
        if (!Files.isRegularFile(jsonFile)) {
            throw invalid(directory, List.of("model.json not found: " + jsonFile));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(jsonFile));
        } catch (JsonProcessingException e) {
            throw invalid(directory, List.of("model.json is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonFile, e);
        }
        List<String> problems = new ArrayList<>();
        ModelSpec spec = null;
        if (root == null || root.isMissingNode()) {
            problems.add("model.json is empty");
        } else {
            ModelJsonReader reader = new ModelJsonReader();
            spec = reader.read(root);
            problems.addAll(reader.problems());
        }
        List<String> labels = List.of();
        if (spec != null && spec.file() != null) {
            requireFile(directory, "file", spec.file(), problems);
        }
        if (spec != null && spec.labels() != null && requireFile(directory, "labels", spec.labels(), problems)) {
            labels = readLabels(directory.resolve(spec.labels()), spec.labels(), problems);
        }
        if (!problems.isEmpty()) {
            throw invalid(directory, problems);
        }
        return new ModelDirectory(directory, spec, labels);
    }

    private static boolean requireFile(Path directory, String field, String name, List<String> problems) {
        Path file = directory.resolve(name);
        if (!Files.isRegularFile(file)) {
            problems.add("model.json: " + field + " names \"" + name + "\", but " + file + " does not exist");
            return false;
        }
        return true;
    }

    /** One label per line; trailing empty lines are ignored, a blank line inside would shift every index after it. */
    private static List<String> readLabels(Path file, String name, List<String> problems) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add(name + ": cannot read: " + e);
            return List.of();
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        if (lines.isEmpty()) {
            problems.add(name + ": has no labels, expected one per line (line i names output i)");
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                problems.add(name + ": line " + (i + 1) + " is blank; every line up to the last names one output");
            }
            lines.set(i, lines.get(i).strip());
        }
        return lines;
    }

    private static InvalidModelException invalid(Path directory, List<String> problems) {
        return new InvalidModelException("model directory " + directory, problems);
    }
}
