package tagger.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 by hand on a socket, for uploads no HTTP client sends: a declared body larger than what
 * follows, a body streamed while the answer is read (a server may answer 413 and close before it).
 */
public final class RawHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: (\\d+)");

    private RawHttp() {
    }

    /** Writes the request line and headers of an image upload to {@code POST /v1/tags}. */
    public static void writeUploadHeaders(Socket s, String host, String contentType, long contentLength)
            throws IOException {
        s.getOutputStream().write(("POST /v1/tags HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Writes {@code n} zero bytes, stopping quietly once the server stopped reading and closed. */
    public static Void writeZeros(OutputStream out, long n) {
        byte[] chunk = new byte[64 * 1024];
        try {
            for (long sent = 0; sent < n; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
            }
        } catch (IOException e) {
            // the server stopped reading and closed: expected once it has answered
        }
        return null;
    }

    /** The status line, headers and body of one answer (read until the connection closes or the body ends). */
    public static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            got.write(buf, 0, n);
            String text = got.toString(StandardCharsets.UTF_8);
            int headerEnd = text.indexOf("\r\n\r\n");
            if (headerEnd > 0) {
                Matcher m = CONTENT_LENGTH.matcher(text);
                if (m.find() && got.size() >= headerEnd + 4 + Integer.parseInt(m.group(1))) {
                    break;
                }
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
