// audcheck adapter for jjwt 0.11.5, an earlier release (protocol: docs/protocol.md).
// A copy of adapters/java-jjwt/Adapter.java, adapted minimally because jjwt 0.11.5's API differs:
// its README configures the parser as Jwts.parserBuilder().setSigningKey(key).requireIssuer(...)
// .requireAudience(...).setClock(...).build().parseClaimsJws(token) (0.12 renamed these to
// parser(), verifyWith, clock and parseSignedClaims), and 0.11.5 verifies no EdDSA (added in 0.12).
// Everything else, the protocol loop and the error classes, is as in the current program.
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
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.io.DecodingException;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.RequiredTypeException;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.SignatureException;
import java.util.Date;

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

    /** The library's version, read at run time from the pom.properties Maven packs into its jar. */
    static String libraryVersion(Class<?> inJar, String groupId, String artifactId) {
        try (var in = inJar.getResourceAsStream("/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties")) {
            if (in == null) return "unknown";
            var props = new java.util.Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
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
        out.put("op", "hello").put("protocol", 1).put("library", "jjwt").put("version", libraryVersion(Jwts.class, "io.jsonwebtoken", "jjwt-api")).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        var algs = caps.putArray("algorithms");
        for (String a : new String[] {"HS256", "RS256", "PS256", "ES256"}) algs.add(a);
        caps.put("audience", "single");
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
        JwtParserBuilder b = Jwts.parserBuilder().setClock(() -> new Date(msg.get("now").asLong() * 1000));
        if (msg.get("alg").asText().equals("HS256")) b.setSigningKey(Keys.hmacShaKeyFor(secret(msg)));
        else b.setSigningKey(publicKey(msg));
        if (issuer(msg) != null) b.requireIssuer(issuer(msg));
        List<String> aud = audience(msg);
        if (aud != null && !aud.isEmpty()) b.requireAudience(aud.get(0));
        b.build().parseClaimsJws(msg.get("token").asText());
    }

    static String reason(Exception e) {
        if (e instanceof MissingClaimException m) return "aud".equals(m.getClaimName()) ? "missing-aud" : "other";
        if (e instanceof IncorrectClaimException ic) return "aud".equals(ic.getClaimName()) ? "audience" : "iss".equals(ic.getClaimName()) ? "issuer" : "other";
        if (e instanceof ExpiredJwtException) return "expired";
        if (e instanceof PrematureJwtException) return "not-yet-valid";
        if (e instanceof SignatureException) return "signature";
        if (e instanceof MalformedJwtException || e instanceof UnsupportedJwtException || e instanceof DecodingException || e instanceof RequiredTypeException) return "malformed";
        return "other";
    }
}
