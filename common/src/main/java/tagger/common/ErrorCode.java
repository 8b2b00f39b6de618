package tagger.common;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Stable, documented codes of item-level errors. Clients script against {@link #code()}; never
 * rename one, only add.
 */
public enum ErrorCode {
    /** The URL is malformed or not http/https. */
    INVALID_URL("invalid_url"),
    /** The URL resolves to an address the SSRF guard refuses (loopback, private, metadata...). */
    BLOCKED_ADDRESS("blocked_address"),
    /** Connecting to or reading from the origin failed (DNS, refused, reset, truncated body). */
    DOWNLOAD_FAILED("download_failed"),
    /** The origin did not deliver the whole image within the download time limit. */
    DOWNLOAD_TIMEOUT("download_timeout"),
    /** The origin answered with a non-2xx HTTP status. */
    ORIGIN_STATUS("origin_status"),
    /** The origin redirected more times than allowed. */
    TOO_MANY_REDIRECTS("too_many_redirects"),
    /** The image is larger than the byte limit. */
    TOO_LARGE("too_large"),
    /** The image header declares more pixels than the pixel limit. */
    TOO_MANY_PIXELS("too_many_pixels"),
    /** The bytes are not in a supported image format (checked by magic bytes, not Content-Type). */
    NOT_AN_IMAGE("not_an_image"),
    /** The worker could not decode the image. */
    UNDECODABLE("undecodable"),
    /**
     * The api-server preprocessed the image for another model input than the worker's (a model
     * rollout overtook the message); the worker refuses rather than infer on wrong pixels.
     */
    PREPROCESS_MISMATCH("preprocess_mismatch"),
    /** The model failed on this image. */
    INFERENCE_FAILED("inference_failed"),
    /** The request's deadline passed before it could be answered. */
    DEADLINE_EXCEEDED("deadline_exceeded"),
    /** The item failed on every one of its allowed deliveries and was dead-lettered. */
    DELIVERY_LIMIT("delivery_limit"),
    /** The queue or the result store could not be reached; retry later. */
    UNAVAILABLE("unavailable"),
    /** The queue is full and the item was shed; retry after the advertised delay. */
    OVERLOADED("overloaded"),
    /** The item's bulk batch was cancelled before the item was downloaded or tagged. */
    CANCELLED("cancelled");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @JsonCreator
    public static ErrorCode fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown error code '" + code + "'");
    }
}
