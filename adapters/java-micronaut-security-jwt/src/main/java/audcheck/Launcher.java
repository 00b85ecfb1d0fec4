package audcheck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.token.jwt.validator.AudienceJwtClaimsValidator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * audcheck's configure endpoint (docs/http.md, "Reconfigured services"): one JVM serves every
 * expected audience in turn, each as a fresh Micronaut application context started from
 * application.properties, whose audcheck.* placeholders get the new values. The validator is
 * configured by those property files alone.
 */
public final class Launcher {
    private static final JsonMapper JSON = JsonMapper.createDefault();
    private static ApplicationContext current;

    public static void main(String[] args) throws Exception {
        // audcheck reads the validating library's version from this line of the output.
        System.out.println("audcheck-version: " + AudienceJwtClaimsValidator.class.getPackage().getImplementationVersion());
        Map<String, String> env = System.getenv();
        List<String> audiences = new ArrayList<>();
        String list = env.getOrDefault("AUDCHECK_AUDIENCES", "[\"https://api.example.com\"]");
        for (Object a : JSON.readValue(list, Argument.listOf(Object.class))) {
            audiences.add(String.valueOf(a));
        }
        start(env.getOrDefault("AUDCHECK_JWKS_URL", "http://127.0.0.1:9/jwks.json"),
              env.getOrDefault("AUDCHECK_ISSUER", "https://auth.example.com"), audiences);
        if (System.getProperty("audcheck.train") != null) {
            // The install step's class-data-sharing training run: one context, then exit.
            current.close();
            return;
        }
        int port = Integer.parseInt(env.getOrDefault("AUDCHECK_PORT", "0"));
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        control.createContext("/ready", ex -> answer(ex, current == null ? 503 : 200, where()));
        control.createContext("/audcheck/configure", Launcher::configure);
        control.start();
    }

    private static synchronized void configure(HttpExchange ex) throws IOException {
        try {
            Map<String, Object> c = JSON.readValue(ex.getRequestBody().readAllBytes(),
                Argument.mapOf(String.class, Object.class));
            List<String> audiences = new ArrayList<>();
            if (c.get("audiences") instanceof List<?> l) {
                l.forEach(a -> audiences.add(String.valueOf(a)));
            }
            if (current != null) {
                current.close();
                current = null;
            }
            start(String.valueOf(c.get("jwks_url")), String.valueOf(c.get("issuer")), audiences);
            answer(ex, 200, where());
        } catch (Exception e) {
            // A refused configuration (docs/http.md): audcheck quotes this answer.
            answer(ex, 500, "{\"error\":" + new String(JSON.writeValueAsBytes(String.valueOf(e)), StandardCharsets.UTF_8) + "}");
        }
    }

    /** A fresh context (and server) from the property files, with the placeholders' values. */
    private static void start(String jwks, String issuer, List<String> audiences) {
        Map<String, Object> values = new HashMap<>();
        values.put("audcheck.jwks", jwks);
        values.put("audcheck.issuer", issuer);
        List<String> environments = new ArrayList<>();
        if (!audiences.isEmpty()) {
            // The audience property is one string; a property file would hold the list joined.
            values.put("audcheck.audience", String.join(",", audiences));
            environments.add("audience");
        }
        current = ApplicationContext.builder()
            .deduceEnvironment(false)
            .environmentPropertySource(false)
            .environments(environments.toArray(new String[0]))
            .properties(values)
            .start();
        current.getBean(EmbeddedServer.class).start();
    }

    private static String where() {
        if (current == null) {
            return "{\"error\":\"no context\"}";
        }
        return "{\"url\":\"http://127.0.0.1:" + current.getBean(EmbeddedServer.class).getPort() + "\"}";
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
