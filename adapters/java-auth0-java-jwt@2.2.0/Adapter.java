// audcheck adapter for auth0 java-jwt 2.2.0, an earlier release (protocol: docs/protocol.md).
// java-jwt 2.x has an API of its own, unlike today's JWT.require(...): its README configures
// the audience and issuer as new JWTVerifier(secret, "{{my-audience}}", "{{my-issuer}}") and
// verifies with verifier.verify(jwt), so this is a small program of its own: the same as
// adapters/java-auth0-java-jwt@2.1.0/Adapter.java but for RS256 (the protocol loop, the JSON
// handling and the version lookup are copied from adapters/java-auth0-java-jwt/Adapter.java).
// - java-jwt 2.2.0 verifies HMAC (HS256, HS384, HS512) and RSA (RS256, RS384, RS512, with a
//   PublicKey, through its bundled Bouncy Castle): the hello offers HS256 and RS256, so
//   audcheck signs the cases that name no algorithm with RS256 for this target.
// - The README passes the secret as a String; audcheck's HS256 secret is random bytes, so the
//   same class's byte[] constructor, new JWTVerifier(byte[] secret, audience, issuer), is used;
//   for RS256, new JWTVerifier(PublicKey publicKey, audience, issuer).
// - It takes one expected audience (a String) and an optional issuer (null: not checked).
// - It takes no clock: exp is checked against the system clock, which is the clock an
//   audcheck run signs its tokens at; the message's `now` is therefore not used. It checks no nbf.
// - The library's jar bundles its own Jackson, commons-codec, commons-lang3 and Bouncy Castle
//   (relocated under com.auth0.jwt.internal), so the Jackson this program uses for the
//   protocol is not the library's.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import com.auth0.jwt.JWTAudienceException;
import com.auth0.jwt.JWTExpiredException;
import com.auth0.jwt.JWTIssuerException;
import com.auth0.jwt.JWTVerifier;

public class Adapter {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> OPTIONS = List.of();
    static final java.util.Set<String> on = new java.util.HashSet<>();

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
                case "hello" -> hello(msg, out);
                case "verify" -> {
                    out.put("op", "verify").put("id", msg.get("id").asText());
                    try {
                        verify(msg);
                        out.put("accepted", true);
                    } catch (Exception e) {
                        out.put("accepted", false).put("reason", reason(e)).put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
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

    /**
     * The library's version, read at run time from the name Maven gives the jar the library
     * was loaded from: java-jwt-VERSION.jar.
     */
    static String libraryVersion() {
        try {
            String jar = java.nio.file.Path.of(JWTVerifier.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
            if (jar.startsWith("java-jwt-") && jar.endsWith(".jar")) return jar.substring("java-jwt-".length(), jar.length() - ".jar".length());
        } catch (Exception e) {
            // no code source or not a file: the version stays unknown
        }
        return "unknown";
    }

    static void hello(JsonNode msg, ObjectNode out) {
        var names = msg.path("options").fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!OPTIONS.contains(k) || !msg.path("options").get(k).asBoolean()) {
                out.put("op", "error").putNull("id");
                out.put("error", "unknown option " + k + "; known: " + OPTIONS + " (true)");
                return;
            }
            on.add(k);
        }
        out.put("op", "hello").put("protocol", 1).put("library", "java-jwt").put("version", libraryVersion()).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        var algs = caps.putArray("algorithms");
        for (String a : new String[] {"HS256", "RS256"}) algs.add(a);
        caps.put("audience", "single");
    }

    /** The one expected audience, or null when none is configured. */
    static String audience(JsonNode msg) {
        if (msg.get("audience").isNull()) return null;
        List<String> list = new ArrayList<>();
        msg.get("audience").forEach(a -> list.add(a.asText()));
        return list.isEmpty() ? null : list.get(0);
    }

    static String issuer(JsonNode msg) {
        return msg.get("issuer").isNull() ? null : msg.get("issuer").asText();
    }

    static byte[] secret(JsonNode msg) {
        return Base64.getUrlDecoder().decode(msg.at("/key/jwk/k").asText());
    }

    /** The SPKI PEM, read with the JDK. */
    static PublicKey publicKey(JsonNode msg) throws Exception {
        String pem = msg.at("/key/pem").asText().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static void verify(JsonNode msg) throws Exception {
        JWTVerifier verifier = switch (msg.get("alg").asText()) {
            case "HS256" -> new JWTVerifier(secret(msg), audience(msg), issuer(msg));
            case "RS256" -> new JWTVerifier(publicKey(msg), audience(msg), issuer(msg));
            default -> throw new IllegalArgumentException("unsupported " + msg.get("alg").asText());
        };
        verifier.verify(msg.get("token").asText());
    }

    static String reason(Exception e) {
        if (e instanceof JWTAudienceException) return "audience";
        if (e instanceof JWTIssuerException) return "issuer";
        if (e instanceof JWTExpiredException) return "expired";
        if (e instanceof java.security.SignatureException) return "signature";
        if (e instanceof IllegalStateException || e instanceof java.io.IOException) return "malformed";
        return "other";
    }
}
