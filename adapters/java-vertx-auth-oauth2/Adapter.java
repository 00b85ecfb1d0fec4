// audcheck adapter for Vert.x Auth OAuth2 (protocol: docs/protocol.md).
//
// A resource server that validates JWT bearer tokens locally with the OAuth2 provider, as
// the Vert.x Auth OAuth2 documentation ("Verifying JWT tokens") configures it:
//
//   OAuth2Auth oauth2 = OAuth2Auth.create(vertx, new OAuth2Options()
//       .setClientId(clientId)                      // required by OAuth2Options.validate()
//       .addJwk(jwk)                                // the provider's JWKs (what jWKSet() loads)
//       .setJWTOptions(new JWTOptions().setAudience(List.of(...)).setIssuer(issuer)));
//   oauth2.authenticate(new TokenCredentials(token))   // a Future<User>
//
// Targets (options in hello):
//   java-vertx-auth-oauth2            JWTOptions.setAudience(expected audiences); clientId is
//                                     this resource server's own id, "audcheck-resource-server"
//   java-vertx-auth-oauth2+client-id  no JWTOptions audience; setClientId(expected audience):
//                                     with no JWTOptions audience the provider requires the
//                                     token's aud to contain the client id (one audience)
//
// How the provider decides (OAuth2AuthProviderImpl 5.0.7, createUser/validToken): a
// TokenCredentials token is decoded with the JWKs; a failed signature, audience or issuer
// check is only logged (LOG.trace) and the token then counts as not locally validated, so
// the provider falls back to introspection/userinfo, which this configuration has not, and
// fails with "Can't authenticate access_token: Provider doesn't support token introspection
// or userinfo". The adapter reports that message and adds the cause the provider logged,
// caught with a java.util.logging handler on the provider's logger (Vert.x logs through
// JUL here): the library's own exception, never a check of the adapter's. exp/nbf are
// checked against the system clock (User.expired(leeway)); audcheck's run clock is the
// system clock.
//
// Keys go in as the case's public JWK (an oct JWK for HS256) with "alg" set to the case's
// algorithm, as a provider's JWKS publishes it (an RSA JWK without alg is taken as RS256
// only). No key is generated.
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

public class Adapter {
    static final String OWN_CLIENT_ID = "audcheck-resource-server";
    static Vertx vertx;
    static final java.util.Map<String, OAuth2Auth> providers = new java.util.HashMap<>();
    static boolean clientIdMode = false;
    /** The last exception the provider logged while deciding the current case. */
    static volatile Throwable logged;
    static final Logger PROVIDER_LOG = Logger.getLogger("io.vertx.ext.auth.oauth2.impl.OAuth2AuthProviderImpl");

    public static void main(String[] args) throws Exception {
        PROVIDER_LOG.setLevel(Level.ALL);
        PROVIDER_LOG.setUseParentHandlers(false); // stdout is the protocol; the cause goes in the reply
        PROVIDER_LOG.addHandler(new Handler() {
            @Override public void publish(LogRecord r) { if (r.getThrown() != null) logged = r.getThrown(); }
            @Override public void flush() {}
            @Override public void close() {}
        });
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
        for (String k : options.fieldNames()) {
            if (!(k.equals("audience_via") && "client_id".equals(options.getValue(k)))) {
                return new JsonObject().put("op", "error").putNull("id")
                        .put("error", "unknown option " + k + "=" + options.getValue(k) + "; known: audience_via (\"client_id\")");
            }
        }
        clientIdMode = "client_id".equals(options.getValue("audience_via"));
        String version = OAuth2Auth.class.getPackage().getImplementationVersion();
        return new JsonObject().put("op", "hello").put("protocol", 1).put("library", "vertx-auth-oauth2")
                .put("version", version == null ? "unknown" : version).put("language", "java")
                .put("capabilities", new JsonObject()
                        .put("algorithms", new JsonArray().add("HS256").add("RS256").add("PS256").add("ES256").add("EdDSA"))
                        // validToken: with a JWTOptions audience a token passes when it shares any
                        // member with it (Collections.disjoint); the client id is one value.
                        .put("audience", clientIdMode ? "single" : "any-of"));
    }

    static JsonObject verify(JsonObject msg) {
        String id = msg.getString("id");
        JsonObject jwk = msg.getJsonObject("key").getJsonObject("jwk").copy().put("alg", msg.getString("alg"));
        JWTOptions jwtOptions = new JWTOptions();
        if (msg.getValue("issuer") != null) jwtOptions.setIssuer(msg.getString("issuer"));
        String clientId = OWN_CLIENT_ID;
        if (msg.getValue("audience") != null) {
            List<String> audience = new ArrayList<>();
            for (Object a : msg.getJsonArray("audience")) audience.add((String) a);
            if (clientIdMode) {
                // One client id; an empty list gives none, as no expected audience (the
                // resource server's own id stays), as the other one-audience adapters do.
                if (audience.size() == 1) clientId = audience.get(0);
                else if (audience.size() > 1) return new JsonObject().put("op", "error").put("id", id).put("error", "+client-id takes one audience, got " + audience);
            } else {
                jwtOptions.setAudience(audience);
            }
        }
        logged = null;
        User user;
        try {
            // One provider per configuration, as a service configures it once (each provider
            // holds an HTTP client for its endpoints).
            OAuth2Options config = new OAuth2Options().setClientId(clientId).addJwk(jwk).setJWTOptions(jwtOptions);
            OAuth2Auth oauth2 = providers.computeIfAbsent(config.toJson().encode(), k -> OAuth2Auth.create(vertx, config));
            user = oauth2.authenticate(new TokenCredentials(msg.getString("token")))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            Throwable why = logged != null ? logged : cause;
            String error = cause.getClass().getSimpleName() + ": " + cause.getMessage()
                    + (logged != null ? " (logged: " + logged.getClass().getSimpleName() + ": " + logged.getMessage() + ")" : "");
            return new JsonObject().put("op", "verify").put("id", id).put("accepted", false)
                    .put("reason", reason(why)).put("error", error);
        } catch (Exception e) {
            // Thrown by create/authenticate instead of failing the future: a crash.
            return new JsonObject().put("op", "error").put("id", id)
                    .put("error", e.getClass().getName() + " escaped OAuth2Auth.authenticate: " + e.getMessage());
        }
        return new JsonObject().put("op", "verify").put("id", id).put("accepted", user != null);
    }

    /** The class of the provider's failure, from its exception type or its fixed messages. */
    static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Invalid JWT audience") || m.startsWith("User audience")) return "audience";
        if (m.startsWith("Invalid JWT issuer")) return "issuer";
        if (m.startsWith("Invalid authorised party")) return "other";
        if (e instanceof SignatureException || e instanceof NoSuchKeyIdException) return "signature";
        if (m.startsWith("Signature is required") || m.contains("not signed") || m.contains("\"none\"")) return "signature";
        if (e instanceof IllegalArgumentException || e instanceof io.vertx.core.json.DecodeException) return "malformed";
        return "other";
    }
}
