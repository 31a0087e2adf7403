//! The web page: one server-rendered HTML document that works without
//! JavaScript (a small script refreshes the changing parts). It shows the
//! services (from the last check), the queue, the schedules, the last runs
//! as cards, the collections as poster grids in Plex's order, the titles
//! on their way with their TMDb posters, where the collections are pinned
//! on Home and Recommended, the points books (sorted and searched on the
//! server: [`crate::book`]) and the last duplicate plan.
//! Nothing secret is ever written into it.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use curator_core::{DataDir, EntryStatus, LoadedPoints};
use curator_http::MediaKind;

use crate::book::BookQuery;
use crate::html::{badge, esc, local_time, when};
use crate::posters;
use crate::queue::{Finished, JobOutcome, JobState};
use crate::shared::Shared;
use crate::shelf::Shown;

fn titles_unit(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Movie => "movies",
        MediaKind::Show => "shows",
    }
}

/// "Title (Year)".
fn label(title: &str, year: Option<i64>) -> String {
    match year {
        Some(y) => format!("{title} ({y})"),
        None => title.to_owned(),
    }
}

/// One poster of a grid: the image (lazy, its size set, the title as its
/// alt text), the title under it, and a link when there is one.
fn poster(h: &mut String, src: &str, title: &str, link: Option<&str>) {
    let img = format!(
        "<img src=\"{}\" loading=\"lazy\" decoding=\"async\" width=\"120\" height=\"180\" alt=\"{}\"><span>{}</span>",
        esc(src),
        esc(title),
        esc(title)
    );
    match link {
        Some(link) => {
            let _ = write!(
                h,
                "<li><a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{img}</a></li>",
                esc(link)
            );
        }
        None => {
            let _ = write!(h, "<li>{img}</li>");
        }
    }
}

/// An item's page in Plex's web app, on this server.
fn plex_link(machine: &str, rating_key: &str) -> String {
    format!(
        "https://app.plex.tv/desktop/#!/server/{machine}/details?key=%2Flibrary%2Fmetadata%2F{rating_key}"
    )
}

/// The collections as poster grids, in Plex's order.
fn collections_section(h: &mut String, shared: &Shared, shown: &[Shown], machine: Option<&str>) {
    for c in shown {
        let _ = write!(
            h,
            "<section class=\"wide collection\"><h2>{}</h2>",
            esc(&c.name)
        );
        match &c.items {
            Err(why) => {
                let _ = write!(h, "<p class=\"muted\">{}</p>", esc(why));
            }
            Ok(items) if items.is_empty() => h.push_str("<p class=\"muted\">empty</p>"),
            Ok(items) => {
                let _ = write!(
                    h,
                    "<p class=\"muted\">{} {}, in Plex's order</p><ol class=\"posters\">",
                    items.len(),
                    titles_unit(c.kind)
                );
                for item in items {
                    let key = item.rating_key.as_str();
                    let link = machine.map(|m| plex_link(m, key));
                    poster(
                        h,
                        &shared.href(&posters::plex_url(key, item.thumb.as_deref())),
                        &label(&item.title, item.year.map(i64::from)),
                        link.as_deref(),
                    );
                }
                h.push_str("</ol>");
            }
        }
        h.push_str("</section>");
    }
}

/// The titles sent to Radarr or Sonarr that Plex does not have yet, with
/// their TMDb posters.
fn pending_section(h: &mut String, shared: &Shared) {
    let (data, tv) = (&shared.data, shared.config.settings.tv.is_some());
    let mut kinds = vec![MediaKind::Movie];
    if tv {
        kinds.push(MediaKind::Show);
    }
    let mut pending = Vec::new();
    for kind in kinds {
        if let Ok(LoadedPoints::Current(book)) = data.load_points_of(kind) {
            let mut entries: Vec<_> = book
                .movies
                .into_iter()
                .filter(|(_, e)| e.status == EntryStatus::Pending)
                .collect();
            entries.sort_by_key(|(_, e)| std::cmp::Reverse(e.last_suggested));
            pending.extend(entries.into_iter().map(|(id, e)| (kind, id, e)));
        }
    }
    if pending.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<section class=\"wide\" id=\"pending\"><h2>Pending</h2><p class=\"muted\">{} title(s) sent, waiting for Plex to have them</p><ol class=\"posters\">",
        pending.len()
    );
    for (kind, id, entry) in pending {
        poster(
            h,
            &shared.href(&posters::tmdb_url(kind, id)),
            &label(&entry.title, entry.year.map(i64::from)),
            None,
        );
    }
    h.push_str("</ol></section>");
}

const STYLE: &str = r#"
:root { color-scheme: light dark; --fg: #1d2125; --muted: #5f6b76; --bg: #f6f7f9; --card: #fff; --line: #dde1e6;
  --ok: #1a7f37; --warn: #9a6700; --fail: #cf222e; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9aa5b1; --bg: #0d1117; --card: #161b22;
  --line: #30363d; --ok: #3fb950; --warn: #d29922; --fail: #f85149; --accent: #58a6ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 1rem 1.25rem; border-bottom: 1px solid var(--line); background: var(--card); }
header h1 { margin: 0; font-size: 1.3rem; }
header p { margin: .25rem 0 0; color: var(--muted); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 1.05rem; margin: .25rem 0 .5rem; }
h3 { font-size: .95rem; margin: .75rem 0 .25rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th a { color: inherit; }
caption { text-align: left; caption-side: bottom; font-size: .85rem; padding-top: .25rem; }
.scroll { overflow-x: auto; }
pre { white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; margin: .5rem 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem; border: 1px solid currentColor; }
.ok { color: var(--ok); } .warn, .problems, .waiting { color: var(--warn); } .fail, .failed { color: var(--fail); } .running, .pending { color: var(--accent); }
ol { margin: .25rem 0; padding-left: 1.6rem; } ol li { padding: .05rem 0; }
details summary { cursor: pointer; }
a { color: var(--accent); }
.actions form { display: inline; }
#approvals { grid-column: 1 / -1; } #approvals:empty { display: none; }
.run-card { border-top: 1px solid var(--line); padding: .5rem 0; } .run-card h3 { margin: .25rem 0; }
ul.titles { margin: 0; padding-left: 1.1rem; } ul.titles li { padding: .05rem 0; }
img.mini { width: 24px; height: 36px; object-fit: cover; border-radius: 3px; vertical-align: middle; margin-right: .35rem; background: var(--line); }
form.run, form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .25rem 0 .5rem; }
form.run input, form.search input { font: inherit; padding: .2rem .4rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); max-width: 100%; }
ol.posters { list-style: none; margin: .5rem 0; padding: 0; display: grid; gap: .75rem; grid-template-columns: repeat(auto-fill, minmax(6rem, 1fr)); }
ol.posters li { min-width: 0; }
ol.posters a { color: inherit; text-decoration: none; display: block; }
ol.posters img, td.thumb img { display: block; width: 100%; max-width: 120px; height: auto; aspect-ratio: 2 / 3; object-fit: cover; border-radius: 6px; background: var(--line); }
td.thumb { width: 60px; } td.thumb img { width: 60px; }
ol.posters span { display: block; font-size: .85rem; line-height: 1.25; margin-top: .25rem; overflow-wrap: anywhere; }
ol.posters a:hover span, ol.posters a:focus span { text-decoration: underline; }
form.run button, form.search button, .actions button { font: inherit; padding: .2rem .7rem; border-radius: 6px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); cursor: pointer; }
"#;

fn outcome_badge(f: &Finished) -> String {
    let name = match (f.outcome, f.dry_run) {
        (JobOutcome::Ok, true) => "planned",
        (o, _) => o.name(),
    };
    badge(f.outcome.name(), name)
}

fn state_name(state: JobState) -> &'static str {
    match state {
        JobState::Pending => "pending",
        JobState::Waiting => "waiting",
        JobState::Running => "running",
        JobState::Done => "done",
    }
}

/// `GET /`.
pub(crate) async fn page(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<BookQuery>,
) -> Response {
    let newest_job = shared
        .queue
        .snapshot()
        .done
        .iter()
        .map(|f| f.finished_at)
        .max();
    let shown = shared
        .shelf
        .shown(&shared.config, &shared.data, newest_job)
        .await;
    // Known once read; without it the posters link nowhere.
    let machine = if shown.iter().any(|s| s.items.is_ok()) {
        shared.plex_server().await.ok().map(str::to_owned)
    } else {
        None
    };
    let html = render(&shared, &shown, machine.as_deref(), &query);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn render(shared: &Shared, shown: &[Shown], machine: Option<&str>, query: &BookQuery) -> String {
    let snapshot = shared.queue.snapshot();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\">\
         <title>curator</title><style>{STYLE}</style></head><body><header><h1>curator</h1><p>"
    );
    let running = snapshot
        .running
        .as_ref()
        .map(|(job, state)| format!("{} ({})", job.spec.label(), state_name(*state)));
    let _ = write!(
        h,
        "version {} · {} waiting · {}{}</p></header><main>",
        env!("CARGO_PKG_VERSION"),
        snapshot.pending.len(),
        esc(&running.unwrap_or_else(|| "idle".into())),
        if shared.demo {
            " · demo: fake Plex, Radarr, TMDb and LLM on this machine"
        } else {
            ""
        }
    );

    h.push_str("<div id=\"approvals\" class=\"wide\">");
    approvals_section(&mut h, shared);
    h.push_str("</div>");

    // Services.
    h.push_str("<section><h2>Services</h2>");
    let status = shared.status.last();
    match status.as_ref() {
        None => h.push_str("<p class=\"muted\">checking…</p>"),
        Some((at, lines)) => {
            h.push_str("<div class=\"scroll\"><table><tr><th scope=\"col\">service</th><th scope=\"col\">state</th><th scope=\"col\">detail</th></tr>");
            for line in lines {
                let _ = write!(
                    h,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
                    esc(line.service),
                    badge(line.status.name(), line.status.name()),
                    esc(&line.detail)
                );
            }
            let _ = write!(
                h,
                "</table></div><p class=\"muted\">checked {}</p>",
                when(*at)
            );
        }
    }
    drop(status);
    h.push_str("</section>");

    // Queue and schedules.
    h.push_str("<section><h2>Queue</h2><div id=\"queue\">");
    queue_list(&mut h, &snapshot);
    h.push_str("</div>");
    actions(&mut h, shared);
    h.push_str("<h3>Schedules</h3>");
    let entries = shared.schedules.entries();
    if entries.is_empty() {
        h.push_str("<p class=\"muted\">none (serve.schedules in the config)</p>");
    } else {
        h.push_str("<div class=\"scroll\"><table><tr><th scope=\"col\">job</th><th scope=\"col\">cron</th><th scope=\"col\">next</th></tr>");
        for e in entries {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th><td><code>{}</code></td><td>{}</td></tr>",
                esc(e.job.name()),
                esc(&e.pattern),
                e.next
                    .map_or_else(|| "never".to_owned(), |n| local_time(&n))
            );
        }
        h.push_str("</table></div>");
    }
    h.push_str("</section>");

    // Last runs (replaced in place while the page is open: see LIVE).
    h.push_str("<section class=\"wide\"><h2>Last runs</h2><div id=\"runs\">");
    runs_list(&mut h, shared, &snapshot.done);
    h.push_str("</div></section>");

    // Collections, then what is on its way.
    collections_section(&mut h, shared, shown, machine);
    pending_section(&mut h, shared);

    rows_section(&mut h, &shared.data);
    crate::book::sections(&mut h, shared, query);
    dedupe_section(&mut h, &snapshot.done);
    let _ = writeln!(
        h,
        "</main><script data-live=\"{}\">{LIVE}</script></body></html>",
        esc(&shared.href("/live"))
    );
    h
}

/// The rows of Home and Recommended as the last refresh left them
/// (`rows.json`): where each collection shows and its place.
fn rows_section(h: &mut String, data: &DataDir) {
    h.push_str("<section id=\"rows\"><h2>Home and Recommended rows</h2>");
    let state = data.load_rows().unwrap_or_default();
    if state.plex_pass_refused {
        h.push_str("<p class=\"muted\">Plex refused to pin rows: that needs a Plex Pass</p>");
    } else if state.pins.is_empty() {
        h.push_str("<p class=\"muted\">no refresh has pinned a row yet</p>");
    } else {
        h.push_str("<ul>");
        for pin in &state.pins {
            let v = pin.visibility;
            let places: Vec<&str> = [
                (v.recommended, "Recommended"),
                (v.own_home, "Home"),
                (v.shared_home, "friends' Home"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
            let shown = if places.is_empty() {
                "not pinned".to_owned()
            } else {
                places.join(" · ")
            };
            let place = pin
                .position
                .map_or_else(String::new, |p| format!(", row {p}"));
            let _ = write!(
                h,
                "<li>{} <span class=\"muted\">{}{}</span></li>",
                esc(&pin.title),
                esc(&shown),
                place
            );
        }
        h.push_str("</ul>");
    }
    if let Some(at) = state.checked_at {
        let _ = write!(h, "<p class=\"muted\">checked {}</p>", when(at));
    }
    h.push_str("</section>");
}

/// "Waiting for your approval", first on the page when anything waits:
/// each title with where it came from and plain Approve / Reject forms
/// (no JavaScript), and Approve all.
fn approvals_section(h: &mut String, shared: &Shared) {
    let book = match curator_app::approvals(&shared.data) {
        Ok(book) => book,
        Err(e) => {
            let _ = write!(
                h,
                "<section class=\"wide\" id=\"approvals-section\"><h2>Waiting for your approval</h2><p class=\"fail\">{}</p></section>",
                esc(&e.to_string())
            );
            return;
        }
    };
    if book.waiting.is_empty() {
        return;
    }
    let csrf = esc(shared.csrf.expose());
    let form = |id: &str, action: &str, label: &str| {
        format!(
            "<form method=\"post\" action=\"{to}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button class=\"{action}\" aria-label=\"{label}\">{text}</button></form> ",
            to = esc(&shared.href(&format!("/approvals/{id}/{action}"))),
            label = esc(label),
            text = if action == "approve" {
                "Approve"
            } else {
                "Reject"
            },
        )
    };
    let _ = write!(
        h,
        "<section class=\"wide\" id=\"approvals-section\"><h2>Waiting for your approval</h2>\
         <p class=\"muted\">{} title(s) held before anything is downloaded (radarr.require_approval). \
         Approve sends one as a run would; Reject drops it for good.</p>\
         <div class=\"scroll\"><table><tr><th scope=\"col\" class=\"thumb\">poster</th><th scope=\"col\">title</th><th scope=\"col\">year</th>\
         <th scope=\"col\">collection</th><th scope=\"col\">because you watched</th><th scope=\"col\">since</th>\
         <th scope=\"col\">decide</th></tr>",
        book.waiting.len()
    );
    for held in &book.waiting {
        let id = held.id().to_string();
        let _ = write!(
            h,
            "<tr data-approval=\"{}\"><td class=\"thumb\"><img src=\"{}\" loading=\"lazy\" decoding=\"async\" width=\"60\" height=\"90\" alt=\"{}\"></td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"actions\">{}{}</td></tr>",
            esc(&id),
            esc(&shared.href(&posters::tmdb_url(held.kind, held.tmdb_id))),
            esc(&label(&held.title, held.year.map(i64::from))),
            esc(&held.title),
            held.year.map_or_else(String::new, |y| y.to_string()),
            esc(&held.collection),
            esc(held.seed.as_deref().unwrap_or("")),
            when(held.since),
            form(&id, "approve", &format!("Approve {}", held.title)),
            form(&id, "reject", &format!("Reject {}", held.title)),
        );
    }
    let _ = write!(
        h,
        "</table></div><p class=\"actions\">{}</p></section>",
        form("all", "approve", "Approve all").replace(">Approve<", ">Approve all<")
    );
}

/// The queue: the running job and the waiting ones.
fn queue_list(h: &mut String, snapshot: &crate::queue::Snapshot) {
    if snapshot.running.is_none() && snapshot.pending.is_empty() {
        h.push_str("<p class=\"muted\">nothing waiting</p>");
        return;
    }
    h.push_str("<div class=\"scroll\"><table><tr><th scope=\"col\">state</th><th scope=\"col\">job</th><th scope=\"col\">from</th></tr>");
    for (job, state) in snapshot
        .running
        .iter()
        .map(|(j, s)| (j, *s))
        .chain(snapshot.pending.iter().map(|j| (j, JobState::Pending)))
    {
        let _ = write!(
            h,
            "<tr><td>{}</td><th scope=\"row\">{}</th><td class=\"muted\">{} · {}</td></tr>",
            badge(state_name(state), state_name(state)),
            esc(&job.spec.label()),
            esc(&job.sources.join("; ")),
            when(job.accepted_at)
        );
    }
    h.push_str("</table></div>");
}

/// The actions: plain forms, each with the CSRF token (the cookie alone
/// does not start a job); each queues a job.
fn actions(h: &mut String, shared: &Shared) {
    let csrf = esc(shared.csrf.expose());
    let _ = write!(
        h,
        "<h3>Actions</h3><form class=\"run\" method=\"post\" action=\"{run}\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
         <label>Title <input name=\"title\" required maxlength=\"{max}\" placeholder=\"Inception\"></label> \
         <label>Year <input name=\"year\" inputmode=\"numeric\" pattern=\"[0-9]{{4}}\" size=\"5\" placeholder=\"2010\"></label> \
         <button>Run for a title</button></form><p class=\"actions\">",
        max = curator_app::MAX_TITLE_CHARS,
        run = esc(&shared.href("/jobs/run")),
    );
    for (name, label) in [
        ("refresh", "Refresh now"),
        ("confirm-monitored", "Confirm monitored now"),
        ("plan-dedupe", "Plan duplicates"),
        ("dedupe", "Clean duplicates"),
    ] {
        let _ = write!(
            h,
            "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><button>{label}</button></form> ",
            esc(&shared.href(&format!("/jobs/{name}")))
        );
    }
    h.push_str("</p>");
}

/// The last runs as cards: per step its outcome, counts and titles.
fn runs_list(h: &mut String, shared: &Shared, done: &[Finished]) {
    if done.is_empty() {
        h.push_str("<p class=\"muted\">no run yet</p>");
    }
    for f in done.iter().take(10) {
        let _ = write!(
            h,
            "<article class=\"run-card\" data-job=\"{}\"><h3>{} {} <span class=\"muted\">{} · {}</span></h3>",
            esc(&f.job.id),
            outcome_badge(f),
            esc(&f.job.spec.label()),
            when(f.finished_at),
            esc(&f.job.sources.join("; "))
        );
        if let Some(error) = &f.error {
            let _ = write!(h, "<p class=\"fail\">{}</p>", esc(error));
        }
        if let Some(report) = &f.report {
            report_card(h, shared, report);
        }
        if !f.lines.is_empty() {
            let _ = write!(
                h,
                "<details><summary>as text</summary><pre>{}</pre></details>",
                esc(&f.lines.join("\n"))
            );
        }
        h.push_str("</article>");
    }
}

/// A report's steps (or an approval's titles) as a table.
fn report_card(h: &mut String, shared: &Shared, report: &serde_json::Value) {
    let str_of = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    if let Some(titles) = report["titles"].as_array() {
        h.push_str("<ul class=\"titles\">");
        for t in titles {
            // An approval's titles do not say their kind: no poster.
            title_item(h, shared, None, t);
        }
        h.push_str("</ul>");
        return;
    }
    let Some(steps) = report["steps"].as_array() else {
        return;
    };
    h.push_str("<div class=\"scroll\"><table class=\"steps\"><tr><th scope=\"col\">step</th><th scope=\"col\">outcome</th><th scope=\"col\">counts</th><th scope=\"col\">titles</th></tr>");
    for step in steps {
        let name = str_of(&step["step"]);
        let kind = curator_core::StepKind::ALL.into_iter().find(|k| {
            serde_json::to_value(k)
                .ok()
                .as_ref()
                .and_then(|v| v.as_str())
                == Some(&name)
        });
        let title = kind.map_or(name.clone(), |k| k.title().to_owned());
        let status = str_of(&step["status"]);
        let class = match status.as_str() {
            "done" if step["failures"].as_array().is_some_and(|f| !f.is_empty()) => "problems",
            "done" => "ok",
            "failed" => "failed",
            _ => "muted",
        };
        let counts = step["counts"]
            .as_object()
            .map(|c| {
                c.iter()
                    .map(|(k, v)| format!("{} {}", v, k.replace('_', " ")))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .unwrap_or_default();
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{}{}</td><td class=\"muted\">{}</td><td>",
            esc(&title),
            badge(class, &status),
            step["detail"]
                .as_str()
                .map(|d| format!(" <span class=\"muted\">{}</span>", esc(d)))
                .unwrap_or_default(),
            esc(&counts)
        );
        if let Some(movies) = step["movies"].as_array().filter(|m| !m.is_empty()) {
            h.push_str("<ul class=\"titles\">");
            for m in movies {
                title_item(h, shared, kind.map(curator_core::StepKind::media), m);
            }
            h.push_str("</ul>");
        }
        for failure in step["failures"].as_array().into_iter().flatten() {
            let _ = write!(h, "<p class=\"warn\">{}</p>", esc(&str_of(failure)));
        }
        h.push_str("</td></tr>");
    }
    h.push_str("</table></div>");
}

/// One title of a report and what became of it, with its TMDb poster
/// (through curator, lazily) when the title was resolved and its kind is
/// known.
fn title_item(h: &mut String, shared: &Shared, media: Option<MediaKind>, m: &serde_json::Value) {
    let title = m["title"].as_str().unwrap_or_default();
    let year = m["year"]
        .as_i64()
        .map(|y| format!(" ({y})"))
        .unwrap_or_default();
    let kind = m["outcome"]["kind"].as_str().unwrap_or_default();
    let detail = m["outcome"]["detail"]
        .as_str()
        .map(|d| format!(": {d}"))
        .unwrap_or_default();
    let tmdb = m["tmdb_id"]
        .as_u64()
        .and_then(|id| u32::try_from(id).ok())
        .filter(|&id| id > 0);
    let thumb = match (media, tmdb) {
        (Some(media), Some(id)) => format!(
            "<img class=\"mini\" src=\"{}\" loading=\"lazy\" decoding=\"async\" width=\"24\" height=\"36\" alt=\"{}{}\">",
            esc(&shared.href(&posters::tmdb_url(media, curator_http::TmdbId(id)))),
            esc(title),
            esc(&year)
        ),
        _ => String::new(),
    };
    let _ = write!(
        h,
        "<li>{thumb}<strong>{}{}</strong> <span class=\"muted\">{}{}</span></li>",
        esc(title),
        esc(&year),
        esc(&kind.replace('_', " ")),
        esc(&detail)
    );
}

/// `GET /live`: the parts of the page that change while it is open (the
/// queue, the last runs, the approvals), for the page's small poll. It
/// reads no service: only the queue and the approvals file.
pub(crate) async fn live(State(shared): State<Arc<Shared>>) -> Response {
    let snapshot = shared.queue.snapshot();
    let mut queue = String::new();
    queue_list(&mut queue, &snapshot);
    let mut runs = String::new();
    runs_list(&mut runs, &shared, &snapshot.done);
    let mut approvals = String::new();
    approvals_section(&mut approvals, &shared);
    (
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "queue": queue, "runs": runs, "approvals": approvals })),
    )
        .into_response()
}

/// The page's only script: every few seconds while the page is visible,
/// the changing parts are fetched from `/live` and replaced in place, so a
/// queued job's result appears without a reload. Without JavaScript the
/// page still works (forms, links); it is then fresh at each load.
const LIVE: &str = r#"
(function () {
  var live = document.currentScript.getAttribute('data-live');
  function tick() {
    if (document.hidden) { return; }
    fetch(live, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (parts) {
        if (!parts) { return; }
        ['queue', 'runs', 'approvals'].forEach(function (id) {
          var el = document.getElementById(id);
          if (el && el.getAttribute('data-html') !== parts[id]) {
            el.innerHTML = parts[id];
            el.setAttribute('data-html', parts[id]);
          }
        });
      })
      .catch(function () {});
  }
  setInterval(tick, 2000);
})();
"#;

fn dedupe_section(h: &mut String, done: &[Finished]) {
    h.push_str("<section class=\"wide\"><h2>Last duplicate-cleaner plan</h2>");
    match done
        .iter()
        .find_map(|f| f.dedupe.as_ref().map(|lines| (f, lines)))
    {
        None => h.push_str("<p class=\"muted\">the duplicate cleaner has not run yet</p>"),
        Some((f, lines)) => {
            let _ = write!(
                h,
                "<p class=\"muted\">{} · {}{}</p><pre>{}</pre>",
                esc(&f.job.spec.label()),
                when(f.finished_at),
                if f.dry_run {
                    " · plan only (dry run)"
                } else {
                    ""
                },
                esc(&lines.join("\n"))
            );
        }
    }
    h.push_str("</section>");
}

#[cfg(test)]
mod tests {
    use super::rows_section;
    use curator_core::{DataDir, PinnedRow, RowKey, RowsState};

    #[test]
    fn the_rows_section_shows_where_each_collection_is_pinned() {
        let dir = tempfile::tempdir().unwrap();
        let data = DataDir::new(dir.path());
        let mut h = String::new();
        rows_section(&mut h, &data);
        assert!(h.contains("no refresh has pinned a row yet"), "{h}");
        let state = RowsState {
            pins: vec![
                PinnedRow {
                    row: RowKey::ChangeOfTaste,
                    title: "Change <of> Taste".into(),
                    rating_key: "502".into(),
                    visibility: plex_client::HubVisibility {
                        recommended: true,
                        own_home: true,
                        shared_home: false,
                    },
                    position: Some(2),
                },
                PinnedRow {
                    row: RowKey::ImmaculateTaste,
                    title: "Immaculate".into(),
                    rating_key: "503".into(),
                    visibility: plex_client::HubVisibility::default(),
                    position: None,
                },
            ],
            ..RowsState::default()
        };
        data.save_rows(&state).unwrap();
        let mut h = String::new();
        rows_section(&mut h, &data);
        assert!(
            h.contains(
                "Change &lt;of&gt; Taste <span class=\"muted\">Recommended · Home, row 2</span>"
            ),
            "{h}"
        );
        assert!(
            h.contains("Immaculate <span class=\"muted\">not pinned</span>"),
            "{h}"
        );
        data.save_rows(&RowsState {
            plex_pass_refused: true,
            ..state
        })
        .unwrap();
        let mut h = String::new();
        rows_section(&mut h, &data);
        assert!(h.contains("needs a Plex Pass"), "{h}");
    }
}
