package tagger.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * A tiny OTLP/HTTP trace receiver for tests: accepts {@code POST /v1/traces} with an
 * {@code ExportTraceServiceRequest} in protobuf (as OpenTelemetry's exporters send it), decodes the
 * fields tests look at, and keeps every span. The protobuf wire format is read by hand (a few dozen
 * lines) so that tests need no protobuf runtime beside the one the models module already uses.
 */
public final class OtlpReceiver implements AutoCloseable {

    /** An event on a span: its name, and its attributes as strings. */
    public record Event(String name, long epochNanos, Map<String, String> attributes) {
    }

    /** A link to another span. */
    public record Link(String traceId, String spanId) {
    }

    /** One received span, ids in lower-case hex; {@code parentSpanId} is "" for a root. */
    public record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            long startNanos, long endNanos, Map<String, String> attributes, List<Event> events, List<Link> links,
            int statusCode) {
        public double millis() {
            return (endNanos - startNanos) / 1e6;
        }
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver r = new OtlpReceiver(server);
            server.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    InputStream in = exchange.getRequestBody();
                    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        in = new GZIPInputStream(in);
                    }
                    byte[] body = in.readAllBytes();
                    try {
                        r.spans.addAll(decodeRequest(body));
                    } catch (RuntimeException e) {
                        exchange.sendResponseHeaders(400, -1);
                        return;
                    }
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL for OTEL_EXPORTER_OTLP_ENDPOINT. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every span received so far. */
    public List<Span> spans() {
        return List.copyOf(spans);
    }

    /** The spans of one trace. */
    public List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- protobuf wire format: field numbers from opentelemetry/proto/trace/v1/trace.proto ---

    static List<Span> decodeRequest(byte[] body) {
        List<Span> out = new ArrayList<>();
        Reader r = new Reader(body);
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) { // ResourceSpans
                decodeResourceSpans(r.bytes(), out);
            } else {
                r.skip(tag);
            }
        }
        return out;
    }

    private static void decodeResourceSpans(byte[] b, List<Span> out) {
        Reader r = new Reader(b);
        String service = "";
        List<byte[]> scopes = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            int field = tag >>> 3;
            if (field == 1) { // Resource
                Reader res = new Reader(r.bytes());
                Map<String, String> attrs = new LinkedHashMap<>();
                while (res.more()) {
                    int t = res.tag();
                    if (t >>> 3 == 1) {
                        keyValue(res.bytes(), attrs);
                    } else {
                        res.skip(t);
                    }
                }
                service = attrs.getOrDefault("service.name", "");
            } else if (field == 2) { // ScopeSpans
                scopes.add(r.bytes());
            } else {
                r.skip(tag);
            }
        }
        for (byte[] scope : scopes) {
            Reader s = new Reader(scope);
            while (s.more()) {
                int t = s.tag();
                if (t >>> 3 == 2) {
                    out.add(decodeSpan(service, s.bytes()));
                } else {
                    s.skip(t);
                }
            }
        }
    }

    private static Span decodeSpan(String service, byte[] b) {
        Reader r = new Reader(b);
        String traceId = "", spanId = "", parent = "", name = "";
        int kind = 0, status = 0;
        long start = 0, end = 0;
        Map<String, String> attrs = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> traceId = hex(r.bytes());
                case 2 -> spanId = hex(r.bytes());
                case 4 -> parent = hex(r.bytes());
                case 5 -> name = r.string();
                case 6 -> kind = (int) r.varint();
                case 7 -> start = r.fixed64();
                case 8 -> end = r.fixed64();
                case 9 -> keyValue(r.bytes(), attrs);
                case 11 -> events.add(decodeEvent(r.bytes()));
                case 13 -> {
                    Reader l = new Reader(r.bytes());
                    String lt = "", ls = "";
                    while (l.more()) {
                        int t = l.tag();
                        switch (t >>> 3) {
                            case 1 -> lt = hex(l.bytes());
                            case 2 -> ls = hex(l.bytes());
                            default -> l.skip(t);
                        }
                    }
                    links.add(new Link(lt, ls));
                }
                case 15 -> {
                    Reader st = new Reader(r.bytes());
                    while (st.more()) {
                        int t = st.tag();
                        if (t >>> 3 == 3) {
                            status = (int) st.varint();
                        } else {
                            st.skip(t);
                        }
                    }
                }
                default -> r.skip(tag);
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, start, end, attrs, events, links, status);
    }

    private static Event decodeEvent(byte[] b) {
        Reader r = new Reader(b);
        long time = 0;
        String name = "";
        Map<String, String> attrs = new LinkedHashMap<>();
        while (r.more()) {
            int tag = r.tag();
            switch (tag >>> 3) {
                case 1 -> time = r.fixed64();
                case 2 -> name = r.string();
                case 3 -> keyValue(r.bytes(), attrs);
                default -> r.skip(tag);
            }
        }
        return new Event(name, time, attrs);
    }

    /** A KeyValue with an AnyValue of string, bool, int or double, as a string. */
    private static void keyValue(byte[] b, Map<String, String> into) {
        Reader r = new Reader(b);
        String key = "";
        String value = "";
        while (r.more()) {
            int tag = r.tag();
            if (tag >>> 3 == 1) {
                key = r.string();
            } else if (tag >>> 3 == 2) {
                Reader v = new Reader(r.bytes());
                while (v.more()) {
                    int t = v.tag();
                    switch (t >>> 3) {
                        case 1 -> value = v.string();
                        case 2 -> value = Boolean.toString(v.varint() != 0);
                        case 3 -> value = Long.toString(v.varint());
                        case 4 -> value = Double.toString(Double.longBitsToDouble(v.fixed64()));
                        default -> v.skip(t);
                    }
                }
            } else {
                r.skip(tag);
            }
        }
        into.put(key, value);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Reads protobuf wire format. */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(byte[] b) {
            this.buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean more() {
            return buf.hasRemaining();
        }

        int tag() {
            return (int) varint();
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buf.get();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        long fixed64() {
            return buf.getLong();
        }

        byte[] bytes() {
            int n = (int) varint();
            byte[] out = new byte[n];
            buf.get(out);
            return out;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        void skip(int tag) {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> buf.position(buf.position() + 8);
                case 2 -> {
                    int n = (int) varint();
                    buf.position(buf.position() + n);
                }
                case 5 -> buf.position(buf.position() + 4);
                default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
            }
        }
    }
}
