package tagger.common;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * URIs that name several nodes of one service: {@code amqp://user:pass@node1:5672,node2:5672/vhost}
 * (a RabbitMQ cluster) and {@code redis-sentinel://[:password@]s1:26379,s2:26379[/db]?master=name}
 * (a Redis master found through Sentinel). Java's {@link URI} parses such an authority as a registry
 * name, without host or credentials; this class splits it into hosts and a single-host URI that
 * carries everything else (credentials, path, query), which the clients' own URI parsers understand.
 */
public final class ServiceUri {
    /** The scheme of a Redis found through Sentinel. */
    public static final String REDIS_SENTINEL = "redis-sentinel";
    public static final int DEFAULT_SENTINEL_PORT = 26379;

    /** One node of the list. */
    public record Host(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    private ServiceUri() {
    }

    /**
     * The nodes the URI names, in the order given; a port left out is {@code defaultPort}.
     *
     * @throws IllegalArgumentException naming the rule and the bad part when a node is not host[:port]
     */
    public static List<Host> hosts(URI uri, int defaultPort) {
        if (uri.getHost() != null) {
            return List.of(new Host(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort()));
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isBlank()) {
            throw new IllegalArgumentException("a URI must name at least one host, got none");
        }
        String hostList = authority.substring(authority.lastIndexOf('@') + 1);
        List<Host> hosts = new ArrayList<>();
        for (String part : hostList.split(",", -1)) {
            hosts.add(host(part.trim(), defaultPort));
        }
        return List.copyOf(hosts);
    }

    /** The URI with only its first node: credentials, path and query kept. */
    public static URI first(URI uri, String scheme, int defaultPort) {
        Host h = hosts(uri, defaultPort).get(0);
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        try {
            return new URI(scheme + "://" + userInfo + h.host() + ":" + h.port()
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("a URI's first host must make a URI of its own, got "
                    + h + " (" + e.getReason() + ")", e);
        }
    }

    /** The value of query parameter {@code name}, or null. */
    public static String query(URI uri, String name) {
        String q = uri.getQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }

    /** The URI without credentials, for log lines and error messages: every node, path kept. */
    public static String redacted(URI uri) {
        if (uri == null) {
            return "null";
        }
        String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
        return uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static Host host(String part, int defaultPort) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("every host of a host list must be host[:port], got an empty one");
        }
        int colon = part.lastIndexOf(':');
        String name = colon < 0 ? part : part.substring(0, colon);
        int port = defaultPort;
        if (colon >= 0) {
            try {
                port = Integer.parseInt(part.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+") || port < 1 || port > 65535) {
            throw new IllegalArgumentException("every host of a host list must be host[:port] with a port "
                    + "from 1 to 65535, got '" + part + "'");
        }
        return new Host(name, port);
    }
}
