//! Small pieces of the page's HTML: escaping, badges, times.

use chrono::{DateTime, Local, TimeZone};
use time::OffsetDateTime;

/// Escapes text for HTML (one function with the e-mailed report's).
pub(crate) use curator_app::html_escape as esc;

/// A small rounded label in the colour of `class`.
pub(crate) fn badge(class: &str, text: &str) -> String {
    format!("<span class=\"badge {class}\">{}</span>", esc(text))
}

/// A time as the page shows it: in the server's time zone (`TZ`), as the
/// schedules are (cron runs in it), with its offset; the exact instant in
/// `<time datetime>`.
pub(crate) fn local_time<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format!(
        "<time datetime=\"{}\">{}</time>",
        t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        t.format("%Y-%m-%d %H:%M %:z")
    )
}

/// A job's or a check's time ([`local_time`]).
pub(crate) fn when(t: OffsetDateTime) -> String {
    DateTime::from_timestamp(t.unix_timestamp(), 0)
        .map_or_else(String::new, |utc| local_time(&utc.with_timezone(&Local)))
}

#[cfg(test)]
mod tests {
    use super::{esc, local_time, when};

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            esc("<b>\"Tom & Jerry's\"</b>"),
            "&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;"
        );
    }

    #[test]
    fn times_are_shown_in_the_servers_zone_with_the_offset() {
        let t = time::macros::datetime!(2026-12-07 09:30:15 UTC);
        let utc = chrono::DateTime::from_timestamp(t.unix_timestamp(), 0).unwrap();
        let paris = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            local_time(&utc.with_timezone(&paris)),
            "<time datetime=\"2026-12-07T10:30:15+01:00\">2026-12-07 10:30 +01:00</time>"
        );
        let new_york = chrono::FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(
            local_time(&utc.with_timezone(&new_york)),
            "<time datetime=\"2026-12-07T04:30:15-05:00\">2026-12-07 04:30 -05:00</time>"
        );
        // A job's time is the server's local time, as the schedules are.
        assert_eq!(when(t), local_time(&utc.with_timezone(&chrono::Local)));
        assert!(!when(t).contains("UTC"));
    }
}
