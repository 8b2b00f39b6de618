package tagger.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The configured sampler, except that a root span linked to a sampled context is always sampled.
 *
 * <p>A batch's {@code inference} span is a root linked to every request it served. Left to a ratio
 * sampler it would be kept at that ratio, independently of the requests: a sampled request's trace
 * would lack its inference almost always. Here it is kept whenever one of the linked requests is
 * sampled, and otherwise decided by the configured sampler. Spans with a parent are never affected.
 */
public final class LinkedSampler implements Sampler {
    private final Sampler configured;

    public LinkedSampler(Sampler configured) {
        this.configured = configured;
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        if (!Span.fromContext(parentContext).getSpanContext().isValid()) {
            for (LinkData link : parentLinks) {
                if (link.getSpanContext().isSampled()) {
                    return SamplingResult.recordAndSample();
                }
            }
        }
        return configured.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "LinkedSampler{" + configured.getDescription() + "}";
    }
}
