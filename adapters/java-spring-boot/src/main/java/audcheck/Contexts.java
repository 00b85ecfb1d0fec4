package audcheck;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * audcheck's configure endpoint (docs/http.md, "Reconfigured services"): one JVM serves
 * every expected audience in turn, each as a fresh Spring Boot application context started
 * from application.properties, whose placeholders get the new values as command-line
 * properties. Starting a context in a warm JVM takes a fraction of a JVM's start.
 */
final class Contexts {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ConfigurableApplicationContext current;

    static void serve(int port) throws IOException {
        // The first context, from the environment audcheck started the JVM with.
        start(new String[0]);
        HttpServer control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        control.createContext("/ready", ex -> answer(ex, 200, where()));
        control.createContext("/audcheck/configure", Contexts::configure);
        control.start();
    }

    private static synchronized void configure(HttpExchange ex) throws IOException {
        try {
            JsonNode c = JSON.readTree(ex.getRequestBody().readAllBytes());
            List<String> audiences = new ArrayList<>();
            c.path("audiences").forEach(a -> audiences.add(a.asString()));
            String[] args = {
                "--AUDCHECK_ISSUER=" + c.path("issuer").asString(""),
                "--AUDCHECK_JWKS_URL=" + c.path("jwks_url").asString(""),
                "--AUDCHECK_AUDIENCE_LIST=" + String.join(",", audiences),
            };
            current.close();
            start(args);
            answer(ex, 200, where());
        } catch (RuntimeException e) {
            answer(ex, 500, JSON.writeValueAsString(java.util.Map.of("error", String.valueOf(e))));
        }
    }

    private static void start(String[] args) {
        SpringApplication app = new SpringApplication(Service.class);
        // Found from the stack otherwise, which on the control thread holds no main():
        // ahead-of-time initialization needs it.
        app.setMainApplicationClass(Service.class);
        // Each context on a port of its own; the control endpoint keeps AUDCHECK_PORT.
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--server.port=0";
        current = app.run(all);
    }

    private static String where() {
        int port = ((WebServerApplicationContext) current).getWebServer().getPort();
        return "{\"url\":\"http://127.0.0.1:" + port + "\"}";
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
