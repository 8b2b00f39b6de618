package tagger.worker.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tagger.worker.model.InvalidModelException;
import tagger.worker.model.ModelDirectory;
import tagger.worker.model.ModelSpec;
import tagger.imaging.PreprocessSpec.Layout;

/**
 * The facts about the ONNX file's real input and output that the worker relies on, checked against
 * {@code model.json}: names, element type, rank, the channel/height/width dimensions where the file
 * fixes them, and one score per label.
 *
 * @param fixedBatch the batch dimension when the file fixes it, 0 when it is dynamic
 */
record ModelSignature(int fixedBatch) {

    /** @throws InvalidModelException listing every mismatch */
    static ModelSignature check(ModelDirectory model, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs) {
        ModelSpec spec = model.spec();
        String file = spec.file();
        List<String> problems = new ArrayList<>();
        int fixedBatch = 0;
        String inputName = spec.input().name();
        if (inputs.size() != 1) {
            problems.add(file + " has " + inputs.size() + " inputs " + inputs.keySet() + "; the worker feeds exactly one");
        }
        TensorInfo in = tensor(file, "input", "input.name", inputName, inputs, problems);
        if (in != null) {
            long[] s = in.getShape();
            if (s.length != 4) {
                problems.add(file + ": input \"" + inputName + "\" must have rank 4 (" + axes(spec.input().preprocess().layout())
                        + "), got shape " + shape(in));
            } else {
                boolean nchw = spec.input().preprocess().layout() == Layout.NCHW;
                checkDim(problems, spec, in, nchw ? 1 : 3, 3, "input.layout is " + spec.input().preprocess().layout() + ", so", "channels");
                if (s[nchw ? 1 : 3] > 0 && s[nchw ? 1 : 3] != 3 && s[nchw ? 3 : 1] == 3) {
                    int last = problems.size() - 1;
                    problems.set(last, problems.get(last) + "; the file looks " + (nchw ? Layout.NHWC : Layout.NCHW));
                }
                checkDim(problems, spec, in, nchw ? 2 : 1, spec.input().preprocess().height(), "input.height is " + spec.input().preprocess().height() + ", but", "height");
                checkDim(problems, spec, in, nchw ? 3 : 2, spec.input().preprocess().width(), "input.width is " + spec.input().preprocess().width() + ", but", "width");
                fixedBatch = s[0] > 0 ? (int) s[0] : 0;
            }
        }
        TensorInfo out = tensor(file, "output", "output.name", spec.output().name(), outputs, problems);
        if (out != null) {
            long[] s = out.getShape();
            if (s.length < 2) {
                problems.add(file + ": output \"" + spec.output().name() + "\" must have rank >= 2 (batch, classes), got shape " + shape(out));
            } else {
                long product = 1;
                for (int i = 1; i < s.length; i++) {
                    product = s[i] > 0 && product > 0 ? product * s[i] : -1;
                }
                // a dynamic class dimension (product -1) is checked on every run instead
                if (product > 0 && product != model.labels().size()) {
                    problems.add(spec.labels() + " has " + model.labels().size() + " labels but " + file + " output \""
                            + spec.output().name() + "\" has " + product + " values per image (shape " + shape(out) + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidModelException("model " + model.modelFile(), problems);
        }
        return new ModelSignature(fixedBatch);
    }

    private static TensorInfo tensor(String file, String kind, String field, String name, Map<String, NodeInfo> nodes,
            List<String> problems) {
        NodeInfo node = nodes.get(name);
        if (node == null) {
            problems.add("model.json: " + field + " is \"" + name + "\" but " + file + " has no such " + kind
                    + "; its " + kind + "s are " + nodes.keySet());
            return null;
        }
        if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            problems.add(file + ": " + kind + " \"" + name + "\" must be a float tensor, got " + node.getInfo());
            return null;
        }
        return t;
    }

    /** Records a problem when dimension {@code index} is fixed in the file and differs from {@code expected}. */
    private static void checkDim(List<String> problems, ModelSpec spec, TensorInfo in, int index, int expected,
            String claim, String what) {
        long actual = in.getShape()[index];
        if (actual > 0 && actual != expected) {
            problems.add("model.json: " + claim + " dimension " + index + " (" + what + ") of " + spec.file() + " input \""
                    + spec.input().name() + "\" is " + actual + ", expected " + expected + " (shape " + shape(in) + ")");
        }
    }

    private static String axes(Layout layout) {
        return layout == Layout.NCHW ? "batch, channels, height, width for layout NCHW" : "batch, height, width, channels for layout NHWC";
    }

    /** Shape with symbolic dimensions by name: {@code [N, 3, 224, 224]}. */
    static String shape(TensorInfo t) {
        long[] s = t.getShape();
        String[] names = t.getDimensionNames();
        List<String> dims = new ArrayList<>(s.length);
        for (int i = 0; i < s.length; i++) {
            dims.add(s[i] >= 0 ? Long.toString(s[i]) : names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
        }
        return dims.toString();
    }
}
