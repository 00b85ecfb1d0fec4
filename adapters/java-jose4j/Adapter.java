// audcheck adapter for jose4j (protocol: docs/protocol.md).
// JwtConsumerBuilder with setExpectedAudience and setExpectedIssuer; the +skip-aud target models a documented misuse: setSkipDefaultAudienceValidation() switches the audience check off.
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
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

public class Adapter {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> OPTIONS = List.of("skip_aud");
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
        out.put("op", "hello").put("protocol", 1).put("library", "jose4j").put("version", libraryVersion(JwtConsumerBuilder.class, "org.bitbucket.b_c", "jose4j")).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        var algs = caps.putArray("algorithms");
        for (String a : new String[] {"HS256", "RS256", "PS256", "ES256", "EdDSA"}) algs.add(a);
        caps.put("audience", "any-of");
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
        String alg = msg.get("alg").asText();
        java.security.Key key = alg.equals("HS256") ? new HmacKey(secret(msg)) : JsonWebKey.Factory.newJwk(JSON.writeValueAsString(msg.at("/key/jwk"))).getKey();
        JwtConsumerBuilder b = new JwtConsumerBuilder()
            .setVerificationKey(key)
            .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, alg)
            .setRequireExpirationTime()
            .setEvaluationTime(NumericDate.fromSeconds(msg.get("now").asLong()));
        if (issuer(msg) != null) b.setExpectedIssuer(issuer(msg));
        List<String> aud = audience(msg);
        if (aud != null) b.setExpectedAudience(aud.toArray(new String[0]));
        if (on.contains("skip_aud")) b.setSkipDefaultAudienceValidation();
        b.build().processToClaims(msg.get("token").asText());
    }

    static String reason(Exception e) {
        if (e instanceof InvalidJwtException ij) {
            if (ij.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) return "missing-aud";
            if (ij.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) return "audience";
            if (ij.hasErrorCode(ErrorCodes.EXPIRED)) return "expired";
            if (ij.hasErrorCode(ErrorCodes.NOT_YET_VALID)) return "not-yet-valid";
            if (ij.hasErrorCode(ErrorCodes.ISSUER_INVALID) || ij.hasErrorCode(ErrorCodes.ISSUER_MISSING)) return "issuer";
            if (ij.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) return "signature";
            if (ij.hasErrorCode(ErrorCodes.MALFORMED_CLAIM) || ij.hasErrorCode(ErrorCodes.JSON_INVALID)) return "malformed";
        }
        return "other";
    }
}
