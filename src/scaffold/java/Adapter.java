// audcheck adapter for {{library}} (the protocol: audcheck's docs/protocol.md). It reads one
// JSON request a line on stdin and answers one a line on stdout. Configure the library the
// way its documentation tells users to, and report its own verdict: never check anything
// here yourself.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public class Adapter {
    static final ObjectMapper JSON = new ObjectMapper();
    // The library under test: pin it in pom.xml with an exact version.
    static final String LIBRARY = "{{library}}";
    // Read it from the library (say its jar's META-INF/maven/.../pom.properties).
    static final String VERSION = "unknown";

    /**
     * The one place to change: verify msg.token with the library. msg.alg: "RS256"...;
     * msg.key.jwk: the public JWK (an "oct" JWK holding the secret for HS256); msg.key.pem:
     * the SPKI PEM; msg.audience: the expected audiences, or null for "configure none";
     * msg.issuer: the expected issuer; msg.now: the Unix time to check at. Set accepted, or
     * accepted false with a reason (audience, missing-aud, signature, expired,
     * not-yet-valid, issuer, malformed, config, other) and the library's own message.
     */
    static void verify(JsonNode msg, ObjectNode out) throws Exception {
        // AUDCHECK-BEGIN library call
        out.put("accepted", false).put("reason", "other").put("error", "audcheck skeleton: call the library here");
        // AUDCHECK-END library call
    }

    public static void main(String[] args) throws Exception {
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
                case "hello" -> {
                    if (msg.path("options").size() > 0) {
                        out.put("op", "error").putNull("id");
                        out.put("error", "this adapter takes no options");
                    } else {
                        out.put("op", "hello").put("protocol", 1).put("library", LIBRARY).put("version", VERSION).put("language", "java");
                        ObjectNode caps = out.putObject("capabilities");
                        // The algorithms the library verifies, and how it takes several expected audiences.
                        caps.putArray("algorithms").add("HS256").add("RS256").add("PS256").add("ES256").add("EdDSA");
                        caps.put("audience", "any-of");
                    }
                }
                case "verify" -> {
                    out.put("op", "verify").put("id", msg.path("id").asText());
                    try {
                        verify(msg, out);
                    } catch (Exception e) {
                        // A library that throws where it should reject: say so, never crash.
                        out.removeAll();
                        out.put("op", "error").put("id", msg.path("id").asText()).put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                default -> out.put("op", "error").put("id", msg.path("id").asText()).put("error", "unknown op");
            }
            send(out);
        }
    }

    static void send(ObjectNode out) throws Exception {
        System.out.println(JSON.writeValueAsString(out));
        System.out.flush();
    }
}
