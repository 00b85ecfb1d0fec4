// audcheck adapter (docs/protocol.md) for cpp-jwt, Debian's libcpp-jwt-dev: each token goes
// through jwt::decode with algorithms, secret, aud and issuer parameters and verify(true),
// as cpp-jwt's README shows; its exceptions become rejections, anything else an error reply.
#include <iostream>
#include <string>
#include <jwt/jwt.hpp>

using json = nlohmann::json;

static void send(const json& msg) { std::cout << msg.dump() << std::endl; }

static json rejected(const std::string& id, const char* reason, const std::string& cls, const std::exception& e) {
  return {{"op", "verify"}, {"id", id}, {"accepted", false}, {"reason", reason}, {"error", cls + ": " + e.what()}};
}

static json handle(const json& msg) {
  const std::string id = msg.at("id").get<std::string>();
  const std::string alg = msg.at("alg").get<std::string>();
  const std::string token = msg.at("token").get<std::string>();
  std::string key;
  if (alg == "HS256") {
    const std::string k = msg.at("key").at("jwk").at("k").get<std::string>();
    key = jwt::base64_uri_decode(k.data(), k.size());
  } else {
    key = msg.at("key").at("pem").get<std::string>();
  }
  const json& audience = msg.at("audience");
  const std::string iss = msg.at("issuer").is_string() ? msg.at("issuer").get<std::string>() : "";
  using namespace jwt::params;
  try {
    if (audience.is_null() || audience.empty()) {
      // No expected audience (or an empty list: aud() takes one string, so there is
      // nothing to pass): cpp-jwt's default, no aud parameter.
      jwt::decode(token, algorithms({alg}), secret(key), issuer(iss), verify(true));
    } else {
      // aud() takes one audience (audcheck sends one: capabilities.audience is single).
      jwt::decode(token, algorithms({alg}), secret(key), aud(audience.at(0).get<std::string>()),
                  issuer(iss), verify(true));
    }
    return {{"op", "verify"}, {"id", id}, {"accepted", true}};
  } catch (const jwt::InvalidAudienceError& e) { return rejected(id, "audience", "InvalidAudienceError", e);
  } catch (const jwt::TokenExpiredError& e) { return rejected(id, "expired", "TokenExpiredError", e);
  } catch (const jwt::ImmatureSignatureError& e) { return rejected(id, "not-yet-valid", "ImmatureSignatureError", e);
  } catch (const jwt::InvalidIssuerError& e) { return rejected(id, "issuer", "InvalidIssuerError", e);
  } catch (const jwt::InvalidSignatureError& e) { return rejected(id, "signature", "InvalidSignatureError", e);
  } catch (const jwt::InvalidAlgorithmError& e) { return rejected(id, "other", "InvalidAlgorithmError", e);
  } catch (const jwt::TypeConversionError& e) { return rejected(id, "other", "TypeConversionError", e);
  } catch (const jwt::InvalidKeyError& e) { return rejected(id, "config", "InvalidKeyError", e);
  } catch (const jwt::VerificationError& e) { return rejected(id, "other", "VerificationError", e);
  } catch (const jwt::SignatureFormatError& e) { return rejected(id, "malformed", "SignatureFormatError", e);
  } catch (const jwt::KeyNotPresentError& e) { return rejected(id, "config", "KeyNotPresentError", e);
  } catch (const jwt::DecodeError& e) { return rejected(id, "malformed", "DecodeError", e);
  } catch (const jwt::SigningError& e) { return rejected(id, "other", "SigningError", e);
  }
  // Any other exception (one cpp-jwt does not declare) escapes to main: an error reply.
}

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    json msg;
    try {
      msg = json::parse(line);
    } catch (const std::exception& e) {
      send({{"op", "error"}, {"id", nullptr}, {"error", std::string("not JSON: ") + e.what()}});
      continue;
    }
    const std::string op = msg.value("op", "");
    if (op == "hello") {
      if (!msg.value("options", json::object()).empty()) {
        send({{"op", "error"}, {"id", nullptr}, {"error", "this adapter takes no options: " + msg["options"].dump()}});
        continue;
      }
      send({{"op", "hello"}, {"protocol", 1}, {"library", "cpp-jwt"}, {"version", CPP_JWT_DEBIAN_VERSION},
            {"language", "cpp"},
            {"capabilities", {{"algorithms", {"HS256", "RS256", "ES256"}}, {"audience", "single"}}}});
    } else if (op == "verify") {
      try {
        send(handle(msg));
      } catch (const std::exception& e) {
        send({{"op", "error"}, {"id", msg.value("id", "")}, {"error", std::string("exception escaped cpp-jwt's decode: ") + e.what()}});
      }
    } else {
      send({{"op", "error"}, {"id", msg.value("id", "")}, {"error", "unknown op " + op}});
    }
  }
}
