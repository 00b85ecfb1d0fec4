// audcheck adapter for Vert.x Auth JWT (protocol: docs/protocol.md).
//
// The provider as the Vert.x Auth JWT documentation configures it:
//
//   JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
//       .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem))
//       .setJWTOptions(new JWTOptions().setAudience(List.of(...)).setIssuer(issuer)));
//   auth.authenticate(new TokenCredentials(token))   // a Future<User>
//
// The adapter blocks on that future for each case and reports its outcome: a succeeded
// future is accepted, a failed one rejected with the library's message. An exception thrown
// by authenticate itself, outside the future, escapes the library: it is answered with an
// `error` reply. The provider checks exp/iat/nbf against the system clock (JWTOptions has
// no clock to set); audcheck's run clock is the system clock.
//
// HS256 takes the secret's bytes (PubSecKeyOptions.setBuffer(Buffer)); the public keys go
// in as the SPKI PEM from the case. No key is generated.
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

public class Adapter {
    static Vertx vertx;

    public static void main(String[] args) throws Exception {
        vertx = Vertx.vertx();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            JsonObject msg;
            try {
                msg = new JsonObject(line);
            } catch (Exception e) {
                send(new JsonObject().put("op", "error").putNull("id").put("error", "not JSON: " + e.getMessage()));
                continue;
            }
            switch (msg.getString("op", "")) {
                case "hello" -> send(hello(msg));
                case "verify" -> send(verify(msg));
                default -> send(new JsonObject().put("op", "error").put("id", msg.getValue("id")).put("error", "unknown op"));
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static void send(JsonObject out) {
        System.out.println(out.encode());
        System.out.flush();
    }

    static JsonObject hello(JsonObject msg) {
        JsonObject options = msg.getJsonObject("options", new JsonObject());
        if (!options.isEmpty()) {
            return new JsonObject().put("op", "error").putNull("id").put("error", "this adapter takes no options, got " + options.encode());
        }
        String version = JWTAuth.class.getPackage().getImplementationVersion();
        return new JsonObject().put("op", "hello").put("protocol", 1).put("library", "vertx-auth-jwt")
                .put("version", version == null ? "unknown" : version).put("language", "java")
                .put("capabilities", new JsonObject()
                        .put("algorithms", new JsonArray().add("HS256").add("RS256").add("PS256").add("ES256").add("EdDSA"))
                        // JWTAuthProviderImpl accepts a token that shares any member with the
                        // configured audiences (Collections.disjoint).
                        .put("audience", "any-of"));
    }

    static PubSecKeyOptions key(JsonObject msg) {
        String alg = msg.getString("alg");
        PubSecKeyOptions key = new PubSecKeyOptions().setAlgorithm(alg);
        if (alg.equals("HS256")) {
            return key.setBuffer(Buffer.buffer(Base64.getUrlDecoder().decode(msg.getJsonObject("key").getJsonObject("jwk").getString("k"))));
        }
        return key.setBuffer(msg.getJsonObject("key").getString("pem"));
    }

    static JsonObject verify(JsonObject msg) {
        String id = msg.getString("id");
        JWTOptions jwtOptions = new JWTOptions();
        if (msg.getValue("issuer") != null) jwtOptions.setIssuer(msg.getString("issuer"));
        if (msg.getValue("audience") != null) {
            List<String> audience = new ArrayList<>();
            for (Object a : msg.getJsonArray("audience")) audience.add((String) a);
            jwtOptions.setAudience(audience);
        }
        JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(key(msg)).setJWTOptions(jwtOptions));

        User user;
        try {
            user = auth.authenticate(new TokenCredentials(msg.getString("token")))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new JsonObject().put("op", "verify").put("id", id).put("accepted", false)
                    .put("reason", reason(cause)).put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (Exception e) {
            // Thrown by authenticate itself instead of failing its future: a crash.
            return new JsonObject().put("op", "error").put("id", id)
                    .put("error", e.getClass().getName() + " escaped JWTAuth.authenticate: " + e.getMessage());
        }
        return new JsonObject().put("op", "verify").put("id", id).put("accepted", user != null);
    }

    /** The class of the provider's failure, from its exception type or its fixed messages. */
    static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Invalid JWT audience")) return "audience";
        if (m.startsWith("Invalid JWT issuer")) return "issuer";
        if (m.contains("token expired")) return "expired";
        if (e instanceof SignatureException || e.getClass().getSimpleName().equals("NoSuchKeyIdException")) return "signature";
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof io.vertx.core.json.DecodeException) return "malformed";
        return "other";
    }
}
