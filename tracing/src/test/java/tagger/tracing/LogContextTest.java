package tagger.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
    private static final String JOB = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @AfterEach
    void off() {
        TraceKit.install(TraceKit.OFF);
        MDC.clear();
    }

    @Test
    void aJobsLogLinesNameItsTraceAndThePreviousContextComesBack() {
        try (TraceKit kit = Tracing.open("t", Map.of("OTEL_TRACES_EXPORTER", "otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"))) {
            TraceKit.install(kit);
            MDC.put(LogContext.TRACE_ID, "before");
            try (LogContext.Scope job = LogContext.job(JOB)) {
                assertEquals("0af7651916cd43dd8448eb211c80319c", MDC.get(LogContext.TRACE_ID));
                assertEquals("b7ad6b7169203331", MDC.get(LogContext.SPAN_ID));
            }
            assertEquals("before", MDC.get(LogContext.TRACE_ID));
            assertNull(MDC.get(LogContext.SPAN_ID));
            try (LogContext.Scope job = LogContext.job("00-zz-yy-01")) {
                assertEquals("before", MDC.get(LogContext.TRACE_ID), "a malformed context changes nothing");
            }
        }
    }

    @Test
    void offNothingIsPut() {
        try (LogContext.Scope job = LogContext.job(JOB)) {
            assertNull(MDC.get(LogContext.TRACE_ID));
        }
    }
}
