//! Links for spec references such as `RFC7519-4.1.3` or `OIDC-3.1.3.7`.

/// A URL for a spec reference, where audcheck knows the document.
pub fn spec_link(reference: &str) -> Option<String> {
    let (doc, section) = match reference.split_once('-') {
        Some((d, s)) => (d, s.split('-').next().unwrap_or("")),
        None => (reference, ""),
    };
    let anchor = |prefix: &str| if section.is_empty() { String::new() } else { format!("#{prefix}{section}") };
    if let Some(n) = doc.strip_prefix("RFC").filter(|n| n.chars().all(|c| c.is_ascii_digit())) {
        return Some(format!("https://www.rfc-editor.org/rfc/rfc{n}{}", anchor("section-")));
    }
    match doc {
        // OpenID Connect Core's anchors are names, not section numbers: link the document.
        "OIDC" => Some("https://openid.net/specs/openid-connect-core-1_0.html".into()),
        "RFC7523BIS" => Some("https://datatracker.ietf.org/doc/draft-ietf-oauth-rfc7523bis/".into()),
        "SPIFFE" => Some("https://github.com/spiffe/spiffe/blob/main/standards/JWT-SVID.md".into()),
        "FAPI2" => Some("https://openid.net/specs/fapi-security-profile-2_0-final.html".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::spec_link;

    #[test]
    fn links() {
        assert_eq!(spec_link("RFC7519-4.1.3").unwrap(), "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.3");
        assert_eq!(spec_link("RFC7519-4.1.3-1").unwrap(), "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.3");
        assert_eq!(spec_link("RFC9068").unwrap(), "https://www.rfc-editor.org/rfc/rfc9068");
        assert_eq!(spec_link("OIDC-3.1.3.7").unwrap(), "https://openid.net/specs/openid-connect-core-1_0.html");
        assert_eq!(spec_link("ACME-1"), None);
    }
}
