package tagger.api.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tagger.common.Json;

/** Request-level error bodies are a contract (DESIGN.md "HTTP API"): their bytes must not change. */
class RequestErrorsTest {
    @Test
    void theBodyIsCodeThenMessage() {
        assertEquals("{\"error\":{\"code\":\"unavailable\",\"message\":\"retry later\"}}",
                Json.write(ErrorBody.of(RequestCode.UNAVAILABLE.code(), "retry later")));
    }

    @Test
    void moreFieldsFollowTheError() {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("rejectedCount", 1);
        more.put("rejected", List.of());
        assertEquals("{\"error\":{\"code\":\"no_valid_items\",\"message\":\"none\"},\"rejectedCount\":1,\"rejected\":[]}",
                Json.write(RequestErrors.body(RequestCode.NO_VALID_ITEMS, "none", more)));
    }

    @Test
    void codesAndStatusesAreTheDocumentedOnes() {
        assertEquals(List.of("invalid_request 400", "not_found 404", "batch_lost 410", "batch_in_progress 409", "batch_finished 409",
                "payload_too_large 413", "too_many_items 413", "no_valid_items 422", "idempotency_mismatch 422",
                "overloaded 429", "unavailable 503"),
                Arrays.stream(RequestCode.values()).map(c -> c.code() + " " + c.status()).toList());
    }
}
