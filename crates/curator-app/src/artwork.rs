//! curator's own default posters: a gradient and a few simple shapes per
//! collection, drawn at run time with tiny-skia and written as PNG. No
//! text, so no font ships with curator; the collection's title shows
//! beside its poster in every Plex client anyway.

use std::sync::OnceLock;

use curator_core::RowKey;
use tiny_skia::{
    Color, FillRule, GradientStop, LinearGradient, Paint, PathBuilder, Pixmap, Point, Rect,
    SpreadMode, Stroke, Transform,
};

/// Poster size: Plex's 2:3 poster shape.
const WIDTH: u32 = 600;
const HEIGHT: u32 = 900;

/// The two colours a row's gradient runs between (top left to bottom right).
/// A TV collection runs between its movie counterpart's colours turned
/// about, so the two libraries' rows tell apart at a glance.
fn palette(row: RowKey) -> ([u8; 3], [u8; 3]) {
    match row {
        RowKey::RecentlyWatched => ([15, 76, 92], [227, 100, 20]),
        RowKey::ChangeOfTaste => ([58, 12, 163], [247, 37, 133]),
        RowKey::ImmaculateTaste => ([20, 33, 61], [252, 163, 17]),
        RowKey::TvRecentlyWatched => ([120, 40, 10], [10, 110, 120]),
        RowKey::TvChangeOfTaste => ([150, 20, 90], [30, 60, 170]),
        RowKey::TvImmaculateTaste => ([110, 70, 10], [14, 90, 70]),
    }
}

fn translucent(alpha: u8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(255, 255, 255, alpha);
    paint.anti_alias = true;
    paint
}

/// A collection's default poster as PNG bytes. The same row always gives
/// the same bytes, so it is uploaded once, not on every run. Drawn once per
/// process: every config load asks for them.
pub(crate) fn default_poster(row: RowKey) -> Vec<u8> {
    static DRAWN: [OnceLock<Vec<u8>>; 6] = [const { OnceLock::new() }; 6];
    let at = RowKey::ALL.iter().position(|r| *r == row).unwrap_or(0);
    DRAWN[at].get_or_init(|| draw(row)).clone()
}

/// Draws a poster. Nothing here can fail for the fixed size and shapes
/// drawn (the `expect`s state that).
fn draw(row: RowKey) -> Vec<u8> {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).expect("a non-empty poster");
    let ([r1, g1, b1], [r2, g2, b2]) = palette(row);
    let shader = LinearGradient::new(
        Point::from_xy(0.0, 0.0),
        Point::from_xy(w, h),
        vec![
            GradientStop::new(0.0, Color::from_rgba8(r1, g1, b1, 255)),
            GradientStop::new(1.0, Color::from_rgba8(r2, g2, b2, 255)),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    )
    .expect("two stops");
    let background = Paint {
        shader,
        anti_alias: true,
        ..Paint::default()
    };
    let full = Rect::from_xywh(0.0, 0.0, w, h).expect("a positive size");
    pixmap.fill_rect(full, &background, Transform::identity(), None);
    let id = Transform::identity();
    match row.base() {
        // A reel: rings around a centre, for "the film you just finished".
        RowKey::RecentlyWatched => {
            for (i, radius) in [60.0, 120.0, 180.0, 240.0].into_iter().enumerate() {
                let ring = PathBuilder::from_circle(w / 2.0, h * 0.45, radius).expect("a circle");
                let stroke = Stroke {
                    width: 14.0 - 3.0 * i as f32,
                    ..Stroke::default()
                };
                pixmap.stroke_path(&ring, &translucent(70), &stroke, id, None);
            }
            let hub = PathBuilder::from_circle(w / 2.0, h * 0.45, 28.0).expect("a circle");
            pixmap.fill_path(&hub, &translucent(120), FillRule::Winding, id, None);
        }
        // Stripes that turn against the grain: "a change of taste".
        RowKey::ChangeOfTaste => {
            for i in -4..8 {
                let x = i as f32 * 110.0;
                let mut band = PathBuilder::new();
                band.move_to(x, h);
                band.line_to(x + 55.0, h);
                band.line_to(x + 55.0 + h * 0.6, 0.0);
                band.line_to(x + h * 0.6, 0.0);
                band.close();
                let band = band.finish().expect("a band");
                pixmap.fill_path(&band, &translucent(28), FillRule::Winding, id, None);
            }
            let dot = PathBuilder::from_circle(w * 0.7, h * 0.3, 90.0).expect("a circle");
            pixmap.fill_path(&dot, &translucent(60), FillRule::Winding, id, None);
        }
        // A cut gem: "immaculate taste", built up over time.
        _ => {
            for (scale, alpha) in [(1.0, 40), (0.7, 60), (0.4, 90)] {
                let (cx, cy) = (w / 2.0, h * 0.45);
                let (rx, ry) = (200.0 * scale, 280.0 * scale);
                let mut gem = PathBuilder::new();
                gem.move_to(cx, cy - ry);
                gem.line_to(cx + rx, cy);
                gem.line_to(cx, cy + ry);
                gem.line_to(cx - rx, cy);
                gem.close();
                let gem = gem.finish().expect("a gem");
                pixmap.fill_path(&gem, &translucent(alpha), FillRule::Winding, id, None);
            }
        }
    }
    // A TV collection's shapes sit in a screen: a rounded frame.
    if row != row.base() {
        let screen = rounded_rect(w * 0.08, h * 0.12, w * 0.84, h * 0.62, 36.0);
        let stroke = Stroke {
            width: 12.0,
            ..Stroke::default()
        };
        pixmap.stroke_path(&screen, &translucent(110), &stroke, id, None);
    }
    // A quiet band at the bottom, where clients draw the title over posters.
    let band = Rect::from_xywh(0.0, h * 0.82, w, h * 0.18).expect("a band");
    let mut shade = Paint::default();
    shade.set_color_rgba8(0, 0, 0, 60);
    pixmap.fill_rect(band, &shade, id, None);
    pixmap
        .encode_png()
        .expect("PNG encoding of an in-memory image")
}

/// A rectangle with rounded corners of radius `r`.
fn rounded_rect(x: f32, y: f32, w: f32, h: f32, r: f32) -> tiny_skia::Path {
    let mut p = PathBuilder::new();
    p.move_to(x + r, y);
    p.line_to(x + w - r, y);
    p.quad_to(x + w, y, x + w, y + r);
    p.line_to(x + w, y + h - r);
    p.quad_to(x + w, y + h, x + w - r, y + h);
    p.line_to(x + r, y + h);
    p.quad_to(x, y + h, x, y + h - r);
    p.line_to(x, y + r);
    p.quad_to(x, y, x + r, y);
    p.close();
    p.finish().expect("a rounded rectangle")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_collection_has_its_own_stable_png_poster() {
        let posters: Vec<Vec<u8>> = RowKey::ALL.into_iter().map(default_poster).collect();
        // Six rows, six posters: a TV row no longer wears its movie twin's.
        for (i, a) in posters.iter().enumerate() {
            for b in &posters[i + 1..] {
                assert_ne!(a, b, "two rows share a poster");
            }
        }
        assert_eq!(default_poster(RowKey::TvChangeOfTaste), posters[4]);
        for poster in &posters {
            assert!(poster.starts_with(b"\x89PNG\r\n\x1a\n"));
            // The IHDR chunk: 600 x 900.
            assert_eq!(&poster[16..24], &[0, 0, 2, 88, 0, 0, 3, 132]);
            assert!(poster.len() < 1_000_000, "{} bytes", poster.len());
        }
        assert_ne!(posters[0], posters[1]);
        assert_ne!(posters[1], posters[2]);
        assert_eq!(default_poster(RowKey::ChangeOfTaste), posters[1]);
        let pixmap = Pixmap::decode_png(&posters[2]).unwrap();
        // Dark at the top left, gold at the bottom right (under the band).
        let top = pixmap.pixel(2, 2).unwrap();
        let low = pixmap.pixel(597, 700).unwrap();
        assert!(top.red() < 60 && low.red() > 180, "{top:?} {low:?}");
    }
}
