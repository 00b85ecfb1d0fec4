// audcheck adapter for auth0 java-jwt (protocol: docs/protocol.md).
// JWT.require(...).withIssuer(...).withAudience(...) (every given audience must be present), and withAnyOfAudience(...) in the +any-of-audience target.
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
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.interfaces.Verification;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

public class Adapter {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> OPTIONS = List.of("any_of_audience");
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
     * The library's version, read at run time. java-jwt's jar records none (no pom.properties,
     * no Implementation-Version), so it is taken from the name Maven gives the jar the library
     * was loaded from: java-jwt-VERSION.jar.
     */
    static String libraryVersion() {
        try {
            String jar = java.nio.file.Path.of(JWT.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
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
        for (String a : new String[] {"HS256", "RS256", "ES256"}) algs.add(a);
        caps.put("audience", on.contains("any_of_audience") ? "any-of" : "all-of");
    }

    static List<String> audience(JsonNode msg) {
        if (msg.get("audience").isNull()) return null;
        List<String> list = new ArrayList<>();
        msg.get("audience").forEach(a -> list.add(a.asText()));
        return list;
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
        String kind = switch (msg.get("alg").asText()) {
            case "ES256" -> "EC";
            case "EdDSA" -> "Ed25519";
            default -> "RSA";
        };
        return KeyFactory.getInstance(kind).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    static void verify(JsonNode msg) throws Exception {
        Algorithm algorithm = switch (msg.get("alg").asText()) {
            case "HS256" -> Algorithm.HMAC256(secret(msg));
            case "RS256" -> Algorithm.RSA256((RSAPublicKey) publicKey(msg), null);
            case "ES256" -> Algorithm.ECDSA256((ECPublicKey) publicKey(msg), null);
            default -> throw new IllegalArgumentException("unsupported " + msg.get("alg").asText());
        };
        Verification v = JWT.require(algorithm);
        if (issuer(msg) != null) v.withIssuer(issuer(msg));
        List<String> aud = audience(msg);
        if (aud != null) {
            if (on.contains("any_of_audience")) v.withAnyOfAudience(aud.toArray(new String[0]));
            else v.withAudience(aud.toArray(new String[0]));
        }
        JWTVerifier verifier = ((JWTVerifier.BaseVerification) v).build(Clock.fixed(Instant.ofEpochSecond(msg.get("now").asLong()), ZoneOffset.UTC));
        verifier.verify(msg.get("token").asText());
    }

    static String reason(Exception e) {
        if (e instanceof MissingClaimException m) return m.getClaimName().equals("aud") ? "missing-aud" : "other";
        if (e instanceof IncorrectClaimException ic) {
            return switch (ic.getClaimName()) { case "aud" -> "audience"; case "iss" -> "issuer"; case "nbf" -> "not-yet-valid"; default -> "other"; };
        }
        if (e instanceof TokenExpiredException) return "expired";
        if (e instanceof SignatureVerificationException) return "signature";
        if (e instanceof JWTDecodeException) return "malformed";
        return "other";
    }
}
