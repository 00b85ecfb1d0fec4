//! What each manifest field holds, so a schema error from serde ("missing field `targets`",
//! "invalid type: string, expected a sequence") also says what to write there.

/// What the field at a serde path ("targets[0].name") holds.
pub fn holds(path: &str) -> Option<&'static str> {
    // Indexes do not change what a field holds.
    let mut key = String::new();
    let mut skip = false;
    for c in path.chars() {
        match c {
            '[' => skip = true,
            ']' => skip = false,
            _ if !skip => key.push(c),
            _ => {}
        }
    }
    Some(match key.as_str() {
        "format" => "the manifest format, \"audcheck-adapter/1\"",
        "name" => "the adapter's name, a string such as \"node-mylib\"",
        "description" => "a sentence about the adapter, a string",
        "transport" => "\"process\" (a program audcheck starts) or \"http\" (a service)",
        "command" => "the program and its arguments, a list of strings such as [\"node\", \"adapter.js\"]",
        "url" => "the protected URL of a service that already runs, a string",
        "install" => "the install steps, a list of commands, each a list of strings such as [[\"npm\", \"ci\"]]",
        "targets" => "a list of targets, each an object such as {\"name\": \"node-mylib\", \"options\": {}}",
        "targets.name" => "the target's name, <language>-<library>[+<variant>], a string",
        "targets.options" => "the options handed to the adapter for this target, an object",
        "targets.misuse" => "true when the target models a documented misuse, a boolean",
        "targets.bug" => "the published bug this release reproduces, an object {\"title\", \"url\", \"fixed\": \"<target of the fixed release>\"}",
        "targets.bug.title" | "targets.bug.url" | "targets.bug.fixed" => "a string",
        "timeout_ms" => "the per-case timeout in milliseconds, a number",
        "http" => "how to reach the service, an object with library, language, ready_path, path, algorithms (docs/http.md)",
        "http.library" | "http.language" => "a string, for the report",
        "http.ready_path" | "http.path" => "a path on the service, a string such as \"/ready\"",
        "http.configure_path" => "where the service takes a new configuration, a path such as \"/audcheck/configure\"",
        "http.ready_timeout_ms" => "milliseconds to wait for the service, a number",
        "http.ready_any_status" | "http.no_audience" => "a boolean",
        "http.method" => "the HTTP method, a string such as \"GET\"",
        "http.algorithms" => "the algorithms the service takes, a list such as [\"RS256\", \"ES256\"]",
        "http.audience" => "how the service takes several expected audiences: \"any-of\", \"all-of\" or \"single\"",
        "http.token" => "where the token goes: \"bearer\", \"header:NAME\", \"cookie:NAME\" or \"query:NAME\"",
        "http.issuer" | "http.version" => "a string",
        "http.audiences" => "the service's expected audiences, a list of strings",
        _ => return None,
    })
}

/// A serde error turned into the field it is about and a problem that says what it holds.
pub fn schema_problem(path: &str, message: &str) -> (Option<String>, String) {
    let message = message.split(" at line ").next().unwrap_or(message);
    let join = |name: &str| if path.is_empty() || path == "." { name.to_string() } else { format!("{path}.{name}") };
    if let Some(name) = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
        let field = join(name);
        let what = holds(&field).unwrap_or("a value");
        return (Some(field), format!("missing; add it: it holds {what}"));
    }
    let field = (!path.is_empty() && path != ".").then(|| path.to_string());
    if message.starts_with("unknown field") {
        return (field, format!("{message}; remove it or fix its spelling"));
    }
    match field.as_deref().and_then(holds) {
        Some(what) => (field, format!("{message}; it holds {what}")),
        None => (field, message.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::schema_problem;

    #[test]
    fn says_what_a_field_holds() {
        let (f, p) = schema_problem(".", "missing field `targets` at line 3 column 1");
        assert_eq!(f.as_deref(), Some("targets"));
        assert!(p.contains("a list of targets"), "{p}");
        let (f, p) = schema_problem("targets[2]", "missing field `name`");
        assert_eq!(f.as_deref(), Some("targets[2].name"));
        assert!(p.contains("<language>-<library>"), "{p}");
        let (f, p) = schema_problem("command", "invalid type: string \"node a.js\", expected a sequence");
        assert_eq!(f.as_deref(), Some("command"));
        assert!(p.contains("a list of strings"), "{p}");
    }
}
