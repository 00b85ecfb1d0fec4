// audcheck adapter for the Google Auth Library for Java (protocol: docs/protocol.md).
//
// com.google.auth.oauth2.TokenVerifier as its Builder documents it:
//
//   TokenVerifier verifier = TokenVerifier.newBuilder()
//       .setAudience(audience).setIssuer(issuer)
//       .setCertificatesLocation(url)   // "Defaults to well-known Google locations"
//       .build();
//   verifier.verify(token);             // throws TokenVerifier.VerificationException
//
// setAudience takes one audience. The adapter serves the case's public test key itself, on
// 127.0.0.1, at the certificates URL as {"keys": [jwk]} with "alg" set to the case's
// algorithm (the verifier's JWK reader builds RS256 and ES256 keys from "alg", as Google's
// certificate endpoints publish them). No key is generated. The verifier reads the system
// clock (setClock is documented as "Used for testing"); audcheck's run clock is the system
// clock.
//
// A VerificationException (the documented failure) is a rejection; any other exception
// escaping verify is a crash and answered with an `error` reply.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.TokenVerifier;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

public class Adapter {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The JWK Set the certificates URL serves: the current case's public key. */
    static final AtomicReference<byte[]> CERTS = new AtomicReference<>("{\"keys\":[]}".getBytes(StandardCharsets.UTF_8));
    static String certsUrl;

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/certs", exchange -> {
            byte[] body = CERTS.get();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        certsUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            ObjectNode out = JSON.createObjectNode();
            JsonNode msg;
            try {
                msg = JSON.readTree(line);
            } catch (Exception e) {
                out.put("op", "error").putNull("id");
                out.put("error", "not JSON: " + e.getMessage());
                send(out);
                continue;
            }
            switch (msg.path("op").asText()) {
                case "hello" -> hello(msg, out);
                case "verify" -> verify(msg, out);
                default -> out.put("op", "error").put("id", msg.path("id").asText()).put("error", "unknown op");
            }
            send(out);
        }
        server.stop(0);
    }

    static void send(ObjectNode out) throws Exception {
        System.out.println(JSON.writeValueAsString(out));
        System.out.flush();
    }

    /** The version Maven recorded in the library's jar (META-INF/maven/.../pom.properties). */
    static String libraryVersion() {
        try (var s = TokenVerifier.class.getResourceAsStream("/META-INF/maven/com.google.auth/google-auth-library-oauth2-http/pom.properties")) {
            if (s != null) {
                var p = new java.util.Properties();
                p.load(s);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // unreadable: the version stays unknown
        }
        String v = TokenVerifier.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    static void hello(JsonNode msg, ObjectNode out) {
        if (msg.path("options").size() > 0) {
            out.put("op", "error").putNull("id");
            out.put("error", "this adapter takes no options, got " + msg.path("options"));
            return;
        }
        out.put("op", "hello").put("protocol", 1).put("library", "google-auth-library-oauth2-http").put("version", libraryVersion()).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        var algs = caps.putArray("algorithms");
        // TokenVerifier's SUPPORTED_ALGORITHMS.
        algs.add("RS256");
        algs.add("ES256");
        caps.put("audience", "single");
    }

    static void verify(JsonNode msg, ObjectNode out) throws Exception {
        String id = msg.get("id").asText();
        ObjectNode jwk = msg.at("/key/jwk").deepCopy();
        jwk.put("alg", msg.get("alg").asText());
        ObjectNode set = JSON.createObjectNode();
        set.putArray("keys").add(jwk);
        CERTS.set(JSON.writeValueAsBytes(set));

        TokenVerifier.Builder builder = TokenVerifier.newBuilder().setCertificatesLocation(certsUrl);
        if (!msg.get("issuer").isNull()) builder.setIssuer(msg.get("issuer").asText());
        // One audience: the first expected one. No expected audience (null, or an empty
        // list) leaves setAudience uncalled, the library's default.
        if (!msg.get("audience").isNull() && msg.get("audience").size() > 0) {
            builder.setAudience(msg.get("audience").get(0).asText());
        }
        TokenVerifier verifier = builder.build();
        try {
            verifier.verify(msg.get("token").asText());
            out.put("op", "verify").put("id", id).put("accepted", true);
        } catch (TokenVerifier.VerificationException e) {
            out.put("op", "verify").put("id", id).put("accepted", false).put("reason", reason(e.getMessage()))
                    .put("error", "VerificationException: " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        } catch (RuntimeException e) {
            out.put("op", "error").put("id", id).put("error", e.getClass().getName() + " escaped TokenVerifier.verify: " + e.getMessage());
        }
    }

    /** The class of TokenVerifier's failure, from its fixed messages. */
    static String reason(String m) {
        if (m == null) return "other";
        if (m.startsWith("Expected audience")) return "audience";
        if (m.startsWith("Expected issuer")) return "issuer";
        if (m.startsWith("Token is expired")) return "expired";
        if (m.startsWith("Error parsing")) return "malformed";
        if (m.startsWith("Invalid signature") || m.startsWith("Could not find PublicKey") || m.startsWith("Unexpected signing algorithm")
                || m.startsWith("Error validating token") || m.startsWith("Error fetching PublicKey")) return "signature";
        return "other";
    }
}
