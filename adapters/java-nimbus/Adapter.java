// audcheck adapter for Nimbus JOSE+JWT (protocol: docs/protocol.md).
// A DefaultJWTProcessor with a DefaultJWTClaimsVerifier: the accepted audiences and the exact-match issuer, as its documentation shows.
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
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.util.HashSet;

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
        out.put("op", "hello").put("protocol", 1).put("library", "nimbus-jose-jwt").put("version", java.util.Objects.requireNonNullElse(JWK.class.getPackage().getImplementationVersion(), "unknown")).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        var algs = caps.putArray("algorithms");
        // Ed25519 verification needs the optional Tink dependency, which users add themselves.
        for (String a : new String[] {"HS256", "RS256", "PS256", "ES256"}) algs.add(a);
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
        JWK jwk = JWK.parse(JSON.writeValueAsString(msg.at("/key/jwk")));
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(msg.get("alg").asText()), new ImmutableJWKSet<>(new JWKSet(jwk))));
        List<String> aud = audience(msg);
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer(msg) != null) exact.issuer(issuer(msg));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(aud == null ? null : new HashSet<>(aud), exact.build(), new HashSet<>(List.of("exp")), null));
        processor.process(msg.get("token").asText(), null);
    }

    static String reason(Exception e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof BadJWTException) {
            if (m.contains("not a valid JSON")) return "malformed";
            if (m.contains("missing required claims: [aud]") || m.contains("aud claim missing")) return "missing-aud";
            if (m.contains("aud")) return "audience";
            if (m.contains("iss")) return "issuer";
            if (m.contains("Expired")) return "expired";
            if (m.contains("before use time")) return "not-yet-valid";
            return "other";
        }
        if (m.contains("Signed JWT rejected") || e instanceof JOSEException) return "signature";
        if (e instanceof java.text.ParseException || e instanceof BadJOSEException) return "malformed";
        return "other";
    }
}
