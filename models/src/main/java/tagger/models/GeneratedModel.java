package tagger.models;

import java.nio.file.Path;
import java.util.List;

/**
 * A model directory written by a generator: where it is, what it holds and how many trained
 * parameters (weights and biases) its graph has.
 *
 * @param files the files written, in writing order ({@code model.onnx}, {@code labels.txt}, {@code model.json})
 */
public record GeneratedModel(String name, String version, Path directory, long parameters, List<Path> files) {
    public GeneratedModel {
        files = List.copyOf(files);
    }
}
