//! A string that must never be printed.

use std::fmt;

/// Holds a credential (secret key, session token, password, IAM token).
/// Debug and Display both redact, so a secret cannot reach `--debug`
/// output, an error message or a panic by accident: the only way to the
/// bytes is [`Secret::expose`], which call sites use to sign or send.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

/// Replaces every occurrence of each secret in `text` with `****`.
/// Used on everything the debug log prints, as a second line of defence
/// behind header-name redaction.
pub fn scrub(text: &str, secrets: &[Secret]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        // Very short values would redact innocent text and protect nothing.
        if s.0.len() >= 4 {
            out = out.replace(&s.0, "****");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::new("wJalrXUtnFEMI/K7MDENG");
        assert!(!format!("{s:?}").contains("wJal"));
        assert!(!format!("{s}").contains("wJal"));
        assert_eq!(s.expose(), "wJalrXUtnFEMI/K7MDENG");
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        let s = Secret::new("topsecret");
        assert_eq!(scrub("a topsecret b topsecret", &[s]), "a **** b ****");
    }
}
