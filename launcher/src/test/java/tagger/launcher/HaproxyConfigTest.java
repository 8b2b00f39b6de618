package tagger.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HaproxyConfigTest {
    /** The docker-compose rendering checked into deploy/ (tests run in the launcher folder). */
    static final Path COMPOSE_CFG = Path.of("..", "deploy", "haproxy", "haproxy.cfg");

    @Test
    void theLocalRenderingBalancesOnLeastConnectionsAndChecksReadiness() {
        String cfg = HaproxyConfig.local("leastconn", 8080, 8404, List.of(new HaproxyConfig.Server("api-1", "127.0.0.1:9001"),
                new HaproxyConfig.Server("api-2", "127.0.0.1:9002")), "1s");
        assertTrue(cfg.contains("    balance leastconn\n"), cfg);
        assertTrue(cfg.contains("    option httpchk GET /readyz\n"), cfg);
        assertTrue(cfg.contains("    bind 127.0.0.1:8080\n"), cfg);
        assertTrue(cfg.contains("    server api-1 127.0.0.1:9001\n    server api-2 127.0.0.1:9002\n"), cfg);
        assertTrue(cfg.contains("    default-server check inter 1s fall 3 rise 2\n"), cfg);
        assertFalse(cfg.lines().anyMatch(l -> l.strip().startsWith("observe")),
                "no passive layer-7 observation: our own 429/503 must never count against a server");
        assertFalse(cfg.contains("{{"), cfg);
    }

    @Test
    void aPlaceholderWithoutValueOrAValueWithoutPlaceholderIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HaproxyConfig.render("bind {{bind}} {{balance}}", Map.of("bind", ":80", "port", "1")));
        assertEquals("HAProxy template and values disagree: no value for [balance], no placeholder for [port]",
                e.getMessage());
    }

    @Test
    void theComposeConfigInDeployIsTheTemplatesRendering() throws Exception {
        String expected = HaproxyConfig.compose(List.of("api-1", "api-2"));
        Path rendered = Path.of("target", "haproxy-compose.cfg");
        Files.writeString(rendered, expected);
        assertEquals(expected, Files.readString(COMPOSE_CFG), COMPOSE_CFG + " is out of step with "
                + "deploy/haproxy/haproxy.cfg.template: copy launcher/" + rendered + " over it");
    }

    @Test
    void statsCsvRowsAreReadByColumnName() {
        String csv = """
                # pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,
                api-servers,api-1,0,0,3,7,,120,1,2,,0,,0,0,0,0,UP,1,1,0,0,0,10,0,,1,3,1,,120,,2,4,,9,L7OK,200,1,0,100,0,17,3,
                api-servers,BACKEND,0,0,3,7,,120,1,2,0,0,,0,0,0,0,UP,1,1,0,,0,10,0,,1,3,0,,120,,1,4,,9,,,,0,100,0,17,3,
                """;
        List<Haproxy.Row> rows = Haproxy.parse(csv);
        assertEquals(2, rows.size());
        assertEquals(new Haproxy.Row("api-servers", "api-1", "UP", 3, 120, 0, 0, 100, 17, 3, "L7OK"), rows.get(0));
    }
}
