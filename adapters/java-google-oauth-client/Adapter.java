// audcheck adapter for google-oauth-java-client (protocol: docs/protocol.md).
//
// The library's OpenID Connect ID token check, as its IdTokenVerifier javadoc shows it:
//
//   IdToken idToken = IdToken.parse(GsonFactory.getDefaultInstance(), token);
//   IdTokenVerifier verifier = new IdTokenVerifier.Builder()
//       .setIssuer(issuer).setAudience(Arrays.asList(clientIds...))
//       .setCertificatesLocation(url).build();
//   verifier.verifyOrThrow(idToken);   // verify(idToken) is deprecated in its favour
//
// verifyOrThrow checks issuer, audience and time (verifyPayload), then the signature with
// the public key the JWK Set at setCertificatesLocation names under the token's kid. This
// adapter serves the case's public test key itself, on 127.0.0.1, as {"keys": [jwk]} with
// "alg" set to the case's algorithm (the verifier's JWK reader builds RS256 and ES256 keys
// from "alg", as Google's own certificate endpoints publish them). No key is generated.
//
// verifyOrThrow says only true or false for a payload or signature that does not verify, so
// those rejections carry no reason. Its documented IOException (keys that cannot be had, an
// unknown kid) and IdToken.parse's failures are rejections too; any other exception escaping
// the library is a crash and answered with an `error` reply.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.auth.openidconnect.IdToken;
import com.google.api.client.auth.openidconnect.IdTokenVerifier;
import com.google.api.client.json.gson.GsonFactory;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        try (var s = IdTokenVerifier.class.getResourceAsStream("/META-INF/maven/com.google.oauth-client/google-oauth-client/pom.properties")) {
            if (s != null) {
                var p = new java.util.Properties();
                p.load(s);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // unreadable: the version stays unknown
        }
        return "unknown";
    }

    static void hello(JsonNode msg, ObjectNode out) {
        if (msg.path("options").size() > 0) {
            out.put("op", "error").putNull("id");
            out.put("error", "this adapter takes no options, got " + msg.path("options"));
            return;
        }
        out.put("op", "hello").put("protocol", 1).put("library", "google-oauth-client").put("version", libraryVersion()).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        var algs = caps.putArray("algorithms");
        // IdTokenVerifier's SUPPORTED_ALGORITHMS.
        algs.add("RS256");
        algs.add("ES256");
        // setAudience takes the trusted client IDs; a token is accepted when every one of its
        // audiences is among them, so any one of the configured audiences is enough.
        caps.put("audience", "any-of");
    }

    static void verify(JsonNode msg, ObjectNode out) throws Exception {
        String id = msg.get("id").asText();
        ObjectNode jwk = msg.at("/key/jwk").deepCopy();
        jwk.put("alg", msg.get("alg").asText());
        ObjectNode set = JSON.createObjectNode();
        set.putArray("keys").add(jwk);
        CERTS.set(JSON.writeValueAsBytes(set));

        IdTokenVerifier.Builder builder = new IdTokenVerifier.Builder()
                .setCertificatesLocation(certsUrl)
                .setClock(() -> msg.get("now").asLong() * 1000L);
        if (!msg.get("issuer").isNull()) builder.setIssuer(msg.get("issuer").asText());
        if (!msg.get("audience").isNull()) {
            List<String> audience = new ArrayList<>();
            msg.get("audience").forEach(a -> audience.add(a.asText()));
            builder.setAudience(audience);
        }
        IdTokenVerifier verifier = builder.build();

        IdToken idToken;
        try {
            idToken = IdToken.parse(GsonFactory.getDefaultInstance(), msg.get("token").asText());
        } catch (IOException | IllegalArgumentException e) {
            // IdToken.parse: JSON it cannot read (IOException), a token without three parts
            // (IllegalArgumentException from its Preconditions).
            out.put("op", "verify").put("id", id).put("accepted", false).put("reason", "malformed")
                    .put("error", "IdToken.parse: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            out.put("op", "error").put("id", id).put("error", e.getClass().getName() + " escaped IdToken.parse: " + e.getMessage());
            return;
        }
        try {
            if (verifier.verifyOrThrow(idToken)) {
                out.put("op", "verify").put("id", id).put("accepted", true);
            } else {
                out.put("op", "verify").put("id", id).put("accepted", false)
                        .put("error", "IdTokenVerifier.verifyOrThrow returned false");
            }
        } catch (IOException e) {
            // Documented: the verification could not run (no key for the token's kid, keys
            // that could not be fetched).
            out.put("op", "verify").put("id", id).put("accepted", false).put("reason", "signature")
                    .put("error", "IOException: " + e.getMessage());
        } catch (RuntimeException e) {
            out.put("op", "error").put("id", id).put("error", e.getClass().getName() + " escaped IdTokenVerifier.verifyOrThrow: " + e.getMessage());
        }
    }
}
