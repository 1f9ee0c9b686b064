// Browser test: the real binary serves the map; headless Debian Chromium (driven by
// playwright-core, never a downloaded browser) loads it and checks what a person would see.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const env = (name) => {
  const v = process.env[name];
  if (!v) { console.error(`${name} is not set (run through ctest)`); process.exit(2); }
  return v;
};
const bin = env('INCIDENTMAP_BIN');
const gazetteer = env('INCIDENTMAP_TEST_GAZETTEER');
const samples = env('INCIDENTMAP_SAMPLES');
const home = env('INCIDENTMAP_HOME');
const shots = env('INCIDENTMAP_SCREENSHOTS');
const require = createRequire(join(home, 'package.json'));
const { chromium } = require('playwright-core');

const token = 'browser-test-token-0123456789';
let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.error(`FAILED: ${what}`); }
}

const dir = mkdtempSync(join(tmpdir(), 'incidentmap-browser-'));
mkdirSync(shots, { recursive: true });
const db = join(dir, 'incidents.sqlite');
execFileSync(bin, ['ingest', join(samples, 'dpa-2022-03-29-istanbul-talks.txt'), '--published', '2022-03-29',
  '--source', 'dpa', '--db', db, '--gazetteer', gazetteer, '--quiet'], { stdio: 'inherit' });

const server = spawn(bin, ['serve', '--port', '0', '--quiet', '--db', db, '--gazetteer', gazetteer,
  '--web', join(home, 'web'), '--vendor', join(home, 'node_modules')],
{ env: { ...process.env, INCIDENTMAP_TOKENS: token }, stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error('server did not start in 30 s')), 30000);
  server.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/listening on http:\/\/[\d.]+:(\d+)/);
    if (m) { clearTimeout(timer); resolve(Number(m[1])); }
  });
  server.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}`;
const api = async (path) => (await fetch(base + path)).json();

let browser;
try {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    timeout: 60000,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(20000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/');
  await page.waitForFunction(() => window.incidentmap && window.incidentmap.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, '1-loaded.png') });

  const all = await api('/api/incidents?limit=10000');
  const markers = await page.locator('.incident-marker').count();
  check(all.numberMatched > 0, `the API has incidents (${all.numberMatched})`);
  check(markers === all.numberMatched, `markers on the map (${markers}) = API feature count (${all.numberMatched})`);
  const countries = await page.locator('path.leaflet-interactive, .leaflet-overlay-pane path').count();
  check(countries > 100, `the offline basemap draws the countries (${countries} paths)`);
  const attribution = await page.locator('.leaflet-control-attribution').innerText();
  check(attribution.includes('GeoNames') && attribution.includes('Natural Earth'), `attribution visible: "${attribution}"`);

  // Click the Mykolayiv marker: its popup says what happened, when and where.
  const strike = all.features.find((f) => f.properties.geonameid === 700569);
  check(Boolean(strike), 'the API has the Mykolayiv incident');
  if (strike) {
    const [lon, lat] = strike.geometry.coordinates;
    await page.evaluate(([la, lo]) => window.incidentmap.map.setView([la, lo], 9), [lat, lon]);
    await page.waitForTimeout(400);
    const point = await page.evaluate(([la, lo]) => {
      const p = window.incidentmap.map.latLngToContainerPoint([la, lo]);
      const r = document.getElementById('map').getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }, [lat, lon]);
    await page.mouse.click(point.x, point.y);
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor();
    const text = await popup.innerText();
    check(text.includes('Explosions/Remote violence') && text.includes('2022-03-29') && text.includes('Mykolayiv'),
      'the popup shows type, date and place');
    check(text.includes('3 killed, 22 injured'), 'the popup shows the casualties');
    check((await popup.locator('mark').count()) >= 0 && text.includes('regional administration building'), 'the popup shows the evidence sentence');
    await page.waitForTimeout(400); // the popup fades in
    await page.screenshot({ path: join(shots, '2-popup.png') });
    await page.keyboard.press('Escape');
  }

  // Filter by type: the count follows the API.
  await page.uncheck('input[name=type][value="Strategic developments"]');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction((n) => window.incidentmap.count !== n, all.numberMatched);
  const filtered = await api('/api/incidents?limit=10000&type=' + encodeURIComponent(
    'Battles,Explosions/Remote violence,Violence against civilians,Protests,Riots'));
  const filteredMarkers = await page.locator('.incident-marker').count();
  check(filteredMarkers === filtered.numberMatched && filtered.numberMatched < all.numberMatched,
    `after the type filter: ${filteredMarkers} markers = API ${filtered.numberMatched}`);
  check(page.url().includes('type='), 'the URL keeps the filter (permalink)');
  await page.screenshot({ path: join(shots, '3-filtered.png') });
  await page.click('#reset');
  await page.waitForFunction((n) => window.incidentmap.count === n, all.numberMatched);

  // Search a place and fly there.
  await page.fill('#place-search', 'Mykolayiv');
  await page.click('#search-form button[type=submit]');
  await page.waitForFunction(() => window.incidentmap.lastSearch);
  await page.waitForTimeout(1200);
  const centre = await page.evaluate(() => window.incidentmap.map.getCenter());
  check(Math.abs(centre.lat - 46.976) < 0.5 && Math.abs(centre.lng - 31.993) < 0.5,
    `the search centres the map on Mykolayiv (${centre.lat.toFixed(3)}, ${centre.lng.toFixed(3)})`);
  await page.screenshot({ path: join(shots, '4-search.png') });

  // Add an article with the token: new incidents appear.
  await page.click('#add-article summary');
  await page.fill('#article-form textarea[name=text]',
    'Kharkiv\nRussian forces shelled the city of Kharkiv on Monday, killing two people and wounding five, the regional governor said.');
  await page.fill('#article-form input[name=published]', '2022-03-28');
  await page.fill('#article-form input[name=source]', 'test');
  await page.fill('#article-form input[name=token]', token);
  await page.click('#article-form button[type=submit]');
  await page.waitForFunction((n) => window.incidentmap.count > n, all.numberMatched, { timeout: 20000 }).catch(() => {});
  const after = await api('/api/incidents?limit=10000');
  const afterMarkers = await page.locator('.incident-marker').count();
  check(after.numberMatched > all.numberMatched && afterMarkers === after.numberMatched,
    `pasting an article adds incidents (${all.numberMatched} -> ${after.numberMatched}, ${afterMarkers} markers)`);
  await page.screenshot({ path: join(shots, '5-article.png') });

  // Phone width: the map and the panel both stay usable.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForTimeout(300);
  const mapBox = await page.locator('#map').boundingBox();
  check(mapBox && mapBox.width >= 380 && mapBox.height > 300, 'the map fills a phone-width screen');
  await page.screenshot({ path: join(shots, '6-phone.png') });
  check(errors.length === 0, `no JavaScript errors (${errors.join('; ')})`);
} catch (e) {
  failed++;
  console.error(`FAILED: ${e.stack || e}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
