package tagger.models;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX graph (opset 13, IR 8) under construction from the raw protobuf messages: it names
 * values, stores initializers and counts trained parameters.
 */
final class OnnxGraph {
    static final int OPSET = 13;
    static final int IR_VERSION = 8;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<String, Integer> used = new HashMap<>();
    private long parameters;

    OnnxGraph(String name) {
        graph.setName(name);
    }

    /** Declares a float input; {@code dims} are the dimensions after the batch dimension. */
    String input(String name, BatchDimension batch, long... dims) {
        graph.addInput(floatValue(claim(name), batch, dims));
        return name;
    }

    /** Declares a float output; {@code dims} are the dimensions after the batch dimension. */
    void output(String name, BatchDimension batch, long... dims) {
        graph.addOutput(floatValue(name, batch, dims));
    }

    /** Trained float parameters (counted in {@link #parameters()}). */
    String weights(String hint, float[] values, long... dims) {
        parameters += values.length;
        return floats(hint, values, dims);
    }

    /** A float constant that is not a trained parameter: thresholds, quantisation scales. */
    String floats(String hint, float[] values, long... dims) {
        ByteBuffer raw = little(values.length * Float.BYTES);
        for (float v : values) {
            raw.putFloat(v);
        }
        return initializer(hint, TensorProto.DataType.FLOAT, raw, dims);
    }

    /** A float scalar constant. */
    String scalar(String hint, float value) {
        return floats(hint, new float[] {value});
    }

    String int64s(String hint, long[] values, long... dims) {
        ByteBuffer raw = little(values.length * Long.BYTES);
        for (long v : values) {
            raw.putLong(v);
        }
        return initializer(hint, TensorProto.DataType.INT64, raw, dims);
    }

    /** Quantised weights (counted in {@link #parameters()}). */
    String int8Weights(String hint, byte[] values, long... dims) {
        parameters += values.length;
        return bytes(hint, TensorProto.DataType.INT8, values, dims);
    }

    /** Quantised biases (counted in {@link #parameters()}). */
    String int32Weights(String hint, int[] values, long... dims) {
        parameters += values.length;
        ByteBuffer raw = little(values.length * Integer.BYTES);
        for (int v : values) {
            raw.putInt(v);
        }
        return initializer(hint, TensorProto.DataType.INT32, raw, dims);
    }

    String bytes(String hint, TensorProto.DataType type, byte[] values, long... dims) {
        return initializer(hint, type, ByteBuffer.wrap(values).position(values.length), dims);
    }

    /** Adds a node with one output named after {@code hint}; returns the output's name. */
    String node(String op, String hint, List<String> inputs, AttributeProto... attributes) {
        return nodeNamed(op, claim(hint), inputs, attributes);
    }

    /** Adds a node whose output gets exactly the name {@code output} (graph outputs). */
    String nodeNamed(String op, String output, List<String> inputs, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder()
                .setOpType(op)
                .setName(op + ":" + output)
                .addAllInput(inputs)
                .addOutput(output)
                .addAllAttribute(Arrays.asList(attributes)));
        return output;
    }

    long parameters() {
        return parameters;
    }

    ModelProto toModel(String description) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("tagger-models")
                .setProducerVersion("1")
                .setDocString(description)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private String initializer(String hint, TensorProto.DataType type, ByteBuffer raw, long... dims) {
        raw.flip();
        String name = claim(hint);
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** Returns {@code hint} the first time, then {@code hint_2}, {@code hint_3}, ... so names stay unique and stable. */
    private String claim(String hint) {
        int n = used.merge(hint, 1, Integer::sum);
        return n == 1 ? hint : hint + "_" + n;
    }

    /** ONNX raw_data is little-endian whatever the host order. */
    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ValueInfoProto floatValue(String name, BatchDimension batch, long... dims) {
        TensorShapeProto.Dimension.Builder first = TensorShapeProto.Dimension.newBuilder();
        if (batch == BatchDimension.DYNAMIC) {
            first.setDimParam("N");
        } else {
            first.setDimValue(1);
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder().addDim(first);
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
                .build();
    }
}
