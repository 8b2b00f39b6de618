package tagger.launcher.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An origin host that accepts connections and never answers, on its own loopback address (127.0.0.2),
 * so the api-server's per-host bulkhead sees another host than the healthy origin on 127.0.0.1.
 */
final class HangingHost implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    HangingHost() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.2"));
        Thread t = new Thread(this::accept, "chaos-hanging-host");
        t.setDaemon(true);
        t.start();
    }

    String url(long index) {
        return "http://127.0.0.2:" + server.getLocalPort() + "/never-" + index + ".jpg";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                held.add(server.accept()); // read nothing, answer nothing
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        } catch (IOException e) {
            // closing sockets of a test origin: nothing to do about a failure
        }
    }
}
