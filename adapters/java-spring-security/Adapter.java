// audcheck adapter for Spring Security's NimbusJwtDecoder (protocol: docs/protocol.md).
// Only Spring Security's own validators check the token: the default validators with the
// issuer (JwtValidators.createDefaultWithIssuer) and a JwtAudienceValidator, which takes
// one audience. Spring Boot's any-of `audiences` property is covered by the
// java-spring-boot service.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

public class Adapter {
    static final ObjectMapper JSON = new ObjectMapper();

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
                case "verify" -> verify(msg, out);
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
        var options = msg.path("options");
        var names = options.fieldNames();
        if (names.hasNext()) {
            out.put("op", "error").putNull("id");
            out.put("error", "unknown option " + names.next() + "; this adapter takes no options");
            return;
        }
        out.put("op", "hello").put("protocol", 1).put("library", "spring-security")
            .put("version", org.springframework.security.core.SpringSecurityCoreVersion.getVersion()).put("language", "java");
        ObjectNode caps = out.putObject("capabilities");
        caps.putArray("algorithms").add("HS256").add("RS256").add("PS256").add("ES256");
        // JwtAudienceValidator takes one audience.
        caps.put("audience", "single");
    }

    static NimbusJwtDecoder decoder(JsonNode msg) throws Exception {
        String alg = msg.get("alg").asText();
        if (alg.equals("HS256")) {
            byte[] secret = Base64.getUrlDecoder().decode(msg.at("/key/jwk/k").asText());
            return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256")).macAlgorithm(MacAlgorithm.HS256).build();
        }
        JWK jwk = JWK.parse(JSON.writeValueAsString(msg.at("/key/jwk")));
        return NimbusJwtDecoder.withJwkSource(new ImmutableJWKSet<>(new JWKSet(jwk))).jwsAlgorithm(SignatureAlgorithm.from(alg)).build();
    }

    static void verify(JsonNode msg, ObjectNode out) {
        out.put("op", "verify").put("id", msg.get("id").asText());
        String issuer = msg.get("issuer").isNull() ? null : msg.get("issuer").asText();
        List<String> audiences = new ArrayList<>();
        msg.path("audience").forEach(a -> audiences.add(a.asText()));
        OAuth2TokenValidator<Jwt> validator = defaultValidator(issuer, audiences);
        try {
            NimbusJwtDecoder decoder = decoder(msg);
            decoder.setJwtValidator(validator);
            decoder.decode(msg.get("token").asText());
            out.put("accepted", true);
        } catch (JwtException e) {
            out.put("accepted", false).put("reason", reason(e.getMessage())).put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (Exception e) {
            out.put("accepted", false).put("reason", "other").put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The default validators with the issuer, and Spring's JwtAudienceValidator for the audience. */
    static OAuth2TokenValidator<Jwt> defaultValidator(String issuer, List<String> audiences) {
        OAuth2TokenValidator<Jwt> defaults = issuer == null ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(issuer);
        // No expected audience (none, or an empty list): the defaults alone, as a user with no
        // audience to give would configure it.
        if (audiences.isEmpty()) return defaults;
        return new DelegatingOAuth2TokenValidator<>(defaults, new JwtAudienceValidator(audiences.get(0)));
    }

    static String reason(String m) {
        m = m == null ? "" : m;
        if (m.contains("aud")) return "audience";
        if (m.contains("iss")) return "issuer";
        if (m.contains("expired")) return "expired";
        if (m.contains("not valid yet") || m.contains("nbf")) return "not-yet-valid";
        if (m.contains("signature") || m.contains("Signed JWT rejected")) return "signature";
        if (m.contains("Malformed") || m.contains("Invalid unsecured/JWS/JWE") || m.contains("parse")) return "malformed";
        return "other";
    }
}
