// audcheck adapter for auth0 java-jwt 2.1.0, an earlier release (protocol: docs/protocol.md).
// java-jwt 2.x has an API of its own, unlike today's JWT.require(...): its README configures
// the audience as new JWTVerifier(secret, "audience") and verifies with verifier.verify(token),
// so this is a small program of its own; the protocol loop, the JSON handling and the
// version lookup are copied from adapters/java-auth0-java-jwt/Adapter.java.
// - java-jwt 2.1.0 verifies HMAC only (HS256, HS384, HS512): the hello offers HS256 alone, and
//   audcheck signs every case that names no algorithm with HS256 for this target.
// - The README passes the secret as a String; audcheck's HS256 secret is random bytes, so the
//   same class's byte[] constructor, new JWTVerifier(byte[] secret, audience, issuer), is used.
// - It takes one expected audience (a String) and an optional issuer (null: not checked).
// - It takes no clock: exp is checked against the system clock, which is the clock an
//   audcheck run signs its tokens at; the message's `now` is therefore not used. It checks no nbf.
// - The library's jar bundles its own Jackson and commons-codec (relocated under
//   com.auth0.jwt.internal), so the Jackson this program uses for the protocol is not the
//   library's.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
        for (String a : new String[] {"HS256"}) algs.add(a);
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

    static void verify(JsonNode msg) throws Exception {
        if (!msg.get("alg").asText().equals("HS256")) throw new IllegalArgumentException("unsupported " + msg.get("alg").asText());
        new JWTVerifier(secret(msg), audience(msg), issuer(msg)).verify(msg.get("token").asText());
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
