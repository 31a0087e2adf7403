//! Values that only look set: empty strings and the placeholders example
//! configs ship with.

/// True when `value` means "not set": empty, a `YOUR_PLEX_TOKEN`-style
/// placeholder, an environment-variable name such as `OPENAI_API_KEY`, a
/// run of X's (`sk-proj-XXXXXXXX`), `<your key>`, or `changeme`.
pub fn is_unset(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() {
        return true;
    }
    let upper = value.to_ascii_uppercase();
    if upper.starts_with("YOUR_") || upper.starts_with("YOUR-") || upper.starts_with("YOUR ") {
        return true;
    }
    if (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with('{') && value.ends_with('}'))
    {
        return true;
    }
    if matches!(
        upper.as_str(),
        "CHANGEME" | "CHANGE_ME" | "NONE" | "NULL" | "TODO"
    ) {
        return true;
    }
    // `OPENAI_API_KEY`, `TMDB_API_KEY`, `PLEX_TOKEN`: a variable's name
    // pasted where its value belongs.
    let env_name = value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && value.contains('_');
    if env_name && (upper.ends_with("KEY") || upper.ends_with("TOKEN") || upper.ends_with("ID")) {
        return true;
    }
    longest_x_run(value) >= 8
}

fn longest_x_run(value: &str) -> usize {
    let mut best = 0;
    let mut run = 0;
    for c in value.chars() {
        if c.eq_ignore_ascii_case(&'x') {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// `Some(value)` unless it is unset.
pub(crate) fn set(value: Option<String>) -> Option<String> {
    value.filter(|v| !is_unset(v)).map(|v| v.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::is_unset;

    #[test]
    fn placeholders_are_unset_and_real_values_are_not() {
        for unset in [
            "",
            "   ",
            "YOUR_PLEX_TOKEN",
            "your_radarr_api_key",
            "OPENAI_API_KEY",
            "TMDB_API_KEY",
            "sk-proj-XXXXXXXXXXXXXXXXXXX",
            "xxxxxxxxxxxx",
            "<your token>",
            "{plex_token}",
            "changeme",
        ] {
            assert!(is_unset(unset), "{unset:?} should mean unset");
        }
        for set in [
            "a1b2c3d4e5f6",
            "sk-proj-abcXdefXghi",
            "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
            "Ab_Cd",
            "MAX",
            "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJmYWtl",
        ] {
            assert!(!is_unset(set), "{set:?} should count as set");
        }
    }
}
