/* audcheck adapter (docs/protocol.md) for rhonabwy, Debian's librhonabwy-dev: each token
 * goes through r_jwt_parse, r_jwt_verify_signature with the case's public JWK, then
 * r_jwt_validate_claims with the expected issuer, audience, exp and nbf against
 * R_JWT_CLAIM_NOW, as rhonabwy's documentation shows. rhonabwy answers RHN_OK or an error
 * code only, so a rejection's reason is the step that refused the token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <rhonabwy.h>

static void send(json_t *msg) {
  char *text = json_dumps(msg, JSON_COMPACT);
  printf("%s\n", text);
  fflush(stdout);
  free(text);
  json_decref(msg);
}

static json_t *rejected(const char *id, const char *reason, const char *step, int code) {
  char error[160];
  snprintf(error, sizeof error, "%s returned %d (%s)", step, code,
           code == RHN_ERROR_PARAM ? "RHN_ERROR_PARAM" : code == RHN_ERROR_INVALID ? "RHN_ERROR_INVALID"
           : code == RHN_ERROR_UNSUPPORTED ? "RHN_ERROR_UNSUPPORTED" : code == RHN_ERROR_MEMORY ? "RHN_ERROR_MEMORY"
           : "RHN_ERROR");
  if (reason == NULL)
    return json_pack("{s:s, s:s, s:b, s:s}", "op", "verify", "id", id, "accepted", 0, "error", error);
  return json_pack("{s:s, s:s, s:b, s:s, s:s}", "op", "verify", "id", id, "accepted", 0, "reason", reason, "error", error);
}

static json_t *verify(json_t *msg) {
  const char *id = json_string_value(json_object_get(msg, "id"));
  const char *token = json_string_value(json_object_get(msg, "token"));
  json_t *audience = json_object_get(msg, "audience");
  const char *issuer = json_string_value(json_object_get(msg, "issuer"));
  char *jwk_text = json_dumps(json_object_get(json_object_get(msg, "key"), "jwk"), JSON_COMPACT);
  jwk_t *key = NULL;
  jwt_t *jwt = NULL;
  json_t *verdict;
  int rc;

  if (id == NULL || token == NULL || jwk_text == NULL) {
    free(jwk_text);
    return json_pack("{s:s, s:s?, s:s}", "op", "error", "id", id, "error", "verify without id, token or key.jwk");
  }
  r_jwk_init(&key);
  r_jwt_init(&jwt);
  if ((rc = r_jwk_import_from_json_str(key, jwk_text)) != RHN_OK) {
    verdict = json_pack("{s:s, s:s, s:s}", "op", "error", "id", id, "error", "r_jwk_import_from_json_str failed on the test key");
  } else if ((rc = r_jwt_parse(jwt, token, 0)) != RHN_OK) {
    verdict = rejected(id, "malformed", "r_jwt_parse", rc);
  } else if ((rc = r_jwt_verify_signature(jwt, key, 0)) != RHN_OK) {
    verdict = rejected(id, "signature", "r_jwt_verify_signature", rc);
  } else {
    if (json_is_array(audience) && json_array_size(audience) > 0) {
      /* R_JWT_CLAIM_AUD takes one expected value (capabilities.audience is single). */
      rc = r_jwt_validate_claims(jwt, R_JWT_CLAIM_ISS, issuer,
                                 R_JWT_CLAIM_AUD, json_string_value(json_array_get(audience, 0)),
                                 R_JWT_CLAIM_EXP, R_JWT_CLAIM_NOW,
                                 R_JWT_CLAIM_NBF, R_JWT_CLAIM_NOW,
                                 R_JWT_CLAIM_NOP);
    } else {
      /* No expected audience: rhonabwy's default, no R_JWT_CLAIM_AUD in the list. */
      rc = r_jwt_validate_claims(jwt, R_JWT_CLAIM_ISS, issuer,
                                 R_JWT_CLAIM_EXP, R_JWT_CLAIM_NOW,
                                 R_JWT_CLAIM_NBF, R_JWT_CLAIM_NOW,
                                 R_JWT_CLAIM_NOP);
    }
    if (rc != RHN_OK)
      verdict = rejected(id, NULL, "r_jwt_validate_claims", rc);
    else
      verdict = json_pack("{s:s, s:s, s:b}", "op", "verify", "id", id, "accepted", 1);
  }
  r_jwt_free(jwt);
  r_jwk_free(key);
  free(jwk_text);
  return verdict;
}

int main(void) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  r_global_init();
  while ((len = getline(&line, &cap, stdin)) > 0) {
    json_error_t err;
    json_t *msg = json_loadb(line, (size_t)len, JSON_ALLOW_NUL, &err);
    if (msg == NULL) {
      send(json_pack("{s:s, s:n, s:s}", "op", "error", "id", "error", err.text));
      continue;
    }
    const char *op = json_string_value(json_object_get(msg, "op"));
    if (op != NULL && strcmp(op, "hello") == 0) {
      json_t *options = json_object_get(msg, "options");
      if (json_object_size(options) > 0) {
        send(json_pack("{s:s, s:n, s:s}", "op", "error", "id", "error", "this adapter takes no options"));
      } else {
        send(json_pack("{s:s, s:i, s:s, s:s, s:s, s:{s:[s,s,s,s,s], s:s}}", "op", "hello", "protocol", 1,
                       "library", "rhonabwy", "version", RHONABWY_DEBIAN_VERSION, "language", "c",
                       "capabilities", "algorithms", "HS256", "RS256", "PS256", "ES256", "EdDSA",
                       "audience", "single"));
      }
    } else if (op != NULL && strcmp(op, "verify") == 0) {
      send(verify(msg));
    } else {
      send(json_pack("{s:s, s:O?, s:s}", "op", "error", "id", json_object_get(msg, "id"), "error", "unknown op"));
    }
    json_decref(msg);
  }
  free(line);
  r_global_close();
  return 0;
}
