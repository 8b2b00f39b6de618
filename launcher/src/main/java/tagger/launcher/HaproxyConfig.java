package tagger.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders {@code deploy/haproxy/haproxy.cfg.template} (packaged in the launcher jar): the one HAProxy
 * configuration behind {@code ./tagger up --api N}, the load-balancer tests and docker-compose.
 */
final class HaproxyConfig {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_]+)}}");

    /** An api-server behind the balancer: its name in HAProxy's stats, and host:port plus server options. */
    record Server(String name, String address) {
    }

    private HaproxyConfig() {
    }

    static String template() {
        try (InputStream in = HaproxyConfig.class.getResourceAsStream("/haproxy/haproxy.cfg.template")) {
            if (in == null) {
                throw new IllegalStateException("haproxy/haproxy.cfg.template is missing from the launcher jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration for api-servers on this machine.
     *
     * @param balance       "leastconn" (what tagger uses) or e.g. "roundrobin" (to compare)
     * @param checkInterval health-check interval, e.g. "1s"
     */
    static String local(String balance, int port, int statsPort, List<Server> servers, String checkInterval) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bind", "127.0.0.1:" + port);
        v.put("stats_bind", "127.0.0.1:" + statsPort);
        v.put("balance", balance);
        v.put("check_interval", checkInterval);
        v.put("servers", serverLines(servers, ""));
        v.put("resolvers", "");
        return render(template(), v);
    }

    /** The configuration docker-compose mounts: api-servers found through Docker's DNS, which may start later. */
    static String compose(List<String> apiServiceNames) {
        List<Server> servers = new ArrayList<>();
        for (String name : apiServiceNames) {
            servers.add(new Server(name, name + ":8080"));
        }
        Map<String, String> v = new LinkedHashMap<>();
        v.put("bind", ":8080");
        v.put("stats_bind", ":8404");
        v.put("balance", "leastconn");
        v.put("check_interval", "2s");
        v.put("servers", serverLines(servers, " resolvers docker init-addr last,libc,none"));
        v.put("resolvers", """

                # Docker's embedded DNS: servers are re-resolved as containers come and go
                resolvers docker
                    nameserver dns 127.0.0.11:53
                    hold valid 10s
                """.stripTrailing());
        return render(template(), v);
    }

    private static String serverLines(List<Server> servers, String options) {
        StringBuilder sb = new StringBuilder();
        for (Server s : servers) {
            sb.append(sb.length() == 0 ? "" : "\n").append("    server ").append(s.name()).append(' ')
                    .append(s.address()).append(options);
        }
        return sb.toString();
    }

    /** Replaces every {{name}}; a placeholder without a value or a value without a placeholder is an error. */
    static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            used.add(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        List<String> unused = values.keySet().stream().filter(k -> !used.contains(k)).toList();
        if (!missing.isEmpty() || !unused.isEmpty()) {
            throw new IllegalArgumentException("HAProxy template and values disagree: no value for " + missing
                    + ", no placeholder for " + unused);
        }
        return out.toString();
    }
}
