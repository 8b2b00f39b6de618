package tagger.models;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a model directory: {@code model.onnx}, {@code labels.txt} (line i = output i) and {@code model.json}. */
final class ModelDirectoryWriter {
    private ModelDirectoryWriter() {
    }

    static GeneratedModel write(Path dir, ModelJson json, ModelProto model, List<String> labels, long parameters) {
        try {
            Files.createDirectories(dir);
            Path onnx = dir.resolve(ModelJson.ONNX_FILE);
            // streamed, not toByteArray(): the ResNet-50-shaped graph is ~100 MB
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(onnx), 1 << 16)) {
                model.writeTo(out);
            }
            Path labelFile = Files.writeString(dir.resolve(ModelJson.LABELS_FILE),
                    String.join("\n", labels) + "\n", StandardCharsets.UTF_8);
            Path jsonFile = Files.writeString(dir.resolve(ModelJson.FILE), json.render(), StandardCharsets.UTF_8);
            return new GeneratedModel(json.name(), json.version(), dir, parameters, List.of(onnx, labelFile, jsonFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model directory " + dir, e);
        }
    }
}
