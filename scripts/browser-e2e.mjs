// Drives `curator demo --serve --require-approval` in headless Chromium
// through playwright-core (scripts/browser-e2e.sh installs it and starts
// the server): approve one held movie and reject another, queue "Run for a
// title" and see its result appear without a reload, check that every
// poster on the page loads from curator's origin, that no URL the page asks
// for (posters included) and no page source carries the token, check the
// tables' header cells, the points book's server-side sort, no sideways
// scroll at 390 px and the dark theme, and save screenshots at desktop and
// phone width (light and dark).
//
// Usage: node scripts/browser-e2e.mjs URL TOKEN OUT_DIR
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import path from 'node:path';

const [base, token, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
});
const step = (what) => console.log(`browser-e2e: ${what}`);
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const urls = [];
  const problems = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));

  // Opened once with ?token=: the server sets a cookie and redirects.
  await page.goto(`${base}?token=${encodeURIComponent(token)}`);
  assert.ok(!page.url().includes(token), `the token stays in the address: ${page.url()}`);
  // Behind a proxy at a sub-path (serve.base_path): the redirect and the
  // cookie stay under it.
  const prefix = new URL(base).pathname;
  assert.equal(new URL(page.url()).pathname, prefix, page.url());
  const cookies = await context.cookies();
  assert.deepEqual(cookies.map((c) => [c.name, c.path]), [['curator_token', prefix.replace(/\/$/, '') || '/']]);
  const held = page.locator('#approvals tr[data-approval]');
  await held.first().waitFor({ timeout: 180_000 });
  assert.ok((await held.count()) >= 2, 'at least two movies wait for approval');
  const approveId = await held.nth(0).getAttribute('data-approval');
  const approveTitle = await held.nth(0).locator('th').innerText();
  const rejectId = await held.nth(1).getAttribute('data-approval');
  const rejectTitle = await held.nth(1).locator('th').innerText();
  step(`approving ${approveTitle} (${approveId}), rejecting ${rejectTitle} (${rejectId})`);

  await page.locator(`tr[data-approval="${approveId}"] button.approve`).click();
  await page.waitForLoadState();
  await page.locator(`tr[data-approval="${rejectId}"] button.reject`).click();
  await page.waitForLoadState();
  await page.waitForFunction(
    (ids) => ids.every((id) => !document.querySelector(`tr[data-approval="${id}"]`)),
    [approveId, rejectId],
    { timeout: 60_000 },
  );

  // The approval job's card: exactly the approved movie went to Radarr.
  const approval = page.locator('#runs article', { hasText: `approve ${approveId}` });
  await approval.first().waitFor({ timeout: 120_000 });
  await page.waitForFunction(
    (id) => [...document.querySelectorAll('#runs article')].some(
      (a) => a.textContent.includes(`approve ${id}`) && a.querySelector('ul.titles li')),
    approveId,
    { timeout: 120_000 },
  );
  const sent = await approval.first().locator('ul.titles li').allInnerTexts();
  assert.equal(sent.length, 1, `one title approved: ${sent}`);
  assert.ok(sent[0].includes(approveTitle) && sent[0].includes('sent to radarr'), sent[0]);
  const book = await (await page.request.get(`${base}api/approvals`)).json();
  assert.ok(book.rejected.some((r) => r.id === rejectId), JSON.stringify(book.rejected));
  assert.ok(!book.waiting.some((w) => w.id === approveId || w.id === rejectId));

  // "Run for a title": its result appears without a reload (the marker
  // set after the form's redirect survives until the card is there).
  const before = await page.locator('#runs article', { hasText: 'watched Inception (2010)' }).count();
  await page.fill('form.run input[name=title]', 'Inception');
  await page.fill('form.run input[name=year]', '2010');
  await page.click('form.run button');
  await page.waitForLoadState();
  await page.evaluate(() => { window.__notReloaded = true; });
  await page.waitForFunction(
    (n) => document.querySelectorAll('#runs article').length > 0
      && [...document.querySelectorAll('#runs article')]
        .filter((a) => a.textContent.includes('watched Inception (2010)')).length > n,
    before,
    { timeout: 180_000 },
  );
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was reloaded');
  const rerun = page.locator('#runs article', { hasText: 'watched Inception (2010)' }).first();
  const rejectedLine = (await rerun.locator('ul.titles li').allInnerTexts())
    .find((t) => t.startsWith(rejectTitle));
  assert.ok(rejectedLine && rejectedLine.includes('rejected'), `${rejectTitle}: ${rejectedLine}`);
  const again = await (await page.request.get(`${base}api/approvals`)).json();
  assert.ok(!again.waiting.some((w) => w.id === rejectId), 'the rejected movie is offered again');
  step(`the next run left ${rejectTitle} out: ${rejectedLine}`);

  // Every poster loads (the lazy ones once scrolled to), from curator's
  // origin under its base path: the collections' from Plex, the pending
  // and held titles' from TMDb.
  const origin = new URL(base).origin;
  await page.reload();
  await page.waitForLoadState('load');
  const posters = page.locator('ol.posters img');
  assert.ok((await posters.count()) > 0, 'no poster on the page');
  await page.evaluate(async () => {
    for (let y = 0; y < document.body.scrollHeight; y += 300) {
      window.scrollTo(0, y);
      await new Promise((r) => setTimeout(r, 30));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForFunction(
    () => [...document.images].every((i) => i.complete && i.naturalWidth > 0),
    null,
    { timeout: 60_000 },
  );
  const images = await page.locator('img').evaluateAll((all) => all.map((i) => ({
    src: i.currentSrc || i.src, width: i.naturalWidth, alt: i.alt, lazy: i.loading,
  })));
  for (const img of images) {
    assert.ok(img.src.startsWith(`${origin}${prefix}posters/`), `an image not from curator's posters: ${img.src}`);
    assert.ok(img.width > 0, `an image did not load: ${img.src}`);
    assert.ok(img.alt.length > 0, `an image without alt text: ${img.src}`);
    assert.equal(img.lazy, 'lazy', `an image loads eagerly: ${img.src}`);
  }
  const fromPlex = images.filter((i) => /\/posters\/\d+/.test(i.src)).length;
  const fromTmdb = images.filter((i) => i.src.includes('/posters/tmdb/')).length;
  assert.ok(fromPlex > 0 && fromTmdb > 0, `posters from Plex ${fromPlex}, from TMDb ${fromTmdb}`);
  step(`${images.length} images loaded (${fromPlex} from Plex, ${fromTmdb} from TMDb)`);

  // Every request went to curator's origin, none with the token; the
  // page source does not hold it either.
  const after = urls.slice(1);
  for (const u of after) {
    assert.ok(u.startsWith(origin) || u.startsWith('data:'), `a request left curator's origin: ${u}`);
    assert.ok(u.startsWith('data:') || new URL(u).pathname.startsWith(prefix), `a request outside ${prefix}: ${u}`);
    assert.ok(!u.includes(token), `the token is in ${u}`);
  }
  for (const img of await page.locator('img').evaluateAll((all) => all.map((i) => i.src))) {
    assert.ok(img.startsWith(origin) || img.startsWith('data:'), `an image from elsewhere: ${img}`);
  }
  assert.ok(!(await page.content()).includes(token), 'the token is in the page source');

  // Every table has header cells that say what they head.
  const bare = await page.evaluate(() => [...document.querySelectorAll('table')]
    .filter((t) => !t.querySelector('th[scope]') || t.querySelector('th:not([scope])'))
    .map((t) => t.outerHTML.slice(0, 120)));
  assert.deepEqual(bare, [], 'tables without scoped header cells');
  // The points book sorts on the server: its header links say how.
  await page.click('#points th a >> text=title');
  await page.waitForLoadState();
  assert.equal(new URL(page.url()).pathname, prefix, page.url());
  assert.equal(await page.getAttribute('#points th[aria-sort]', 'aria-sort'), 'ascending');
  assert.ok(new URL(page.url()).search.includes('sort=title'), page.url());

  await page.screenshot({ path: path.join(out, 'page-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  assert.equal(
    await page.getAttribute('meta[name=viewport]', 'content'),
    'width=device-width, initial-scale=1',
  );
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(widths[0] <= widths[1], `the page scrolls sideways on a phone: ${widths}`);
  await page.screenshot({ path: path.join(out, 'page-phone.png'), fullPage: true });
  // The theme follows the system's.
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  assert.equal(dark, 'rgb(13, 17, 23)', `dark background: ${dark}`);
  assert.notEqual(light, dark);
  await page.screenshot({ path: path.join(out, 'page-phone-dark.png'), fullPage: true });
  assert.deepEqual(problems, [], 'the browser logged problems');
  step(`done; screenshots in ${out}`);
} finally {
  await browser.close();
}
