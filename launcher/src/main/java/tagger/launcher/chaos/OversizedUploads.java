package tagger.launcher.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tagger.fixtures.RawHttp;

/**
 * A flood of raw image uploads declaring more bytes than the api-server takes, sent at once from raw
 * sockets (a real client streams its body; the server must answer 413 from {@code Content-Length}
 * without reading it, and the caller must be able to read that answer).
 */
final class OversizedUploads {
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([a-z_]+)\"");

    private OversizedUploads() {
    }

    /** Sends {@code count} uploads declaring {@code declaredBytes} each, all at once; records each answer. */
    static void flood(URI api, int count, long declaredBytes, Ledger ledger) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(count * 2, r -> {
            Thread t = new Thread(r, "chaos-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                all.add(threads.submit(() -> upload(api, declaredBytes, ledger, threads)));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // recorded by upload itself
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void upload(URI api, long declared, Ledger ledger, ExecutorService threads) {
        long sent = System.nanoTime();
        try (Socket s = new Socket(api.getHost(), api.getPort())) {
            s.setSoTimeout(30_000);
            RawHttp.writeUploadHeaders(s, api.getHost(), "image/jpeg", declared);
            OutputStream out = s.getOutputStream();
            threads.submit(() -> RawHttp.writeZeros(out, declared)); // the body streams while the answer is read
            String answer = RawHttp.readAnswer(s.getInputStream());
            Matcher status = STATUS.matcher(answer);
            Matcher code = CODE.matcher(answer);
            int st = status.find() ? Integer.parseInt(status.group(1)) : 0;
            ledger.add(new Ledger.Call("upload", sent, System.nanoTime(), st,
                    st == 0 ? "transport:no status line" : code.find() ? code.group(1) : null, null, false, null, -1));
        } catch (IOException e) {
            ledger.add(new Ledger.Call("upload", sent, System.nanoTime(), 0, "transport:" + e.getClass().getSimpleName(),
                    null, false, e.getMessage(), -1));
        }
    }
}
