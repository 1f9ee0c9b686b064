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

// Waits until `predicate(arg)` holds in the page. (page.waitForFunction evaluates its predicate
// from a string inside the page, which the page's Content Security Policy, without
// 'unsafe-eval', refuses; page.evaluate is not subject to it.)
async function waitFor(page, predicate, arg, { timeout = 20000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      if (await page.evaluate(predicate, arg)) return;
    } catch (e) { // a navigation replaced the page under the evaluation: ask the new one
      if (!String(e.message).includes('context was destroyed')) throw e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${predicate}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
// Incidents the map shows: single markers plus the counts on cluster icons.
const shown = (page) => page.evaluate(() => {
  const singles = document.querySelectorAll('.incident-marker').length;
  const clustered = [...document.querySelectorAll('.marker-cluster span')]
    .reduce((n, el) => n + Number(el.textContent), 0);
  return { singles, clustered, total: singles + clustered };
});
// Pixels the heatmap's canvas paints, and markers (single or clustered) on the map.
const heatPixels = (page) => page.evaluate(() => {
  const canvas = document.querySelector('canvas.leaflet-heatmap-layer');
  if (!canvas || !canvas.width) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let k = 3; k < data.length; k += 4) if (data[k] > 0) n++;
  return n;
});
const markersShown = (page) => page.evaluate(() => document.querySelectorAll('.incident-marker, .marker-cluster').length);
// Incidents in the map's marker layer (whether on screen or not).
const inLayer = (page) => page.evaluate(() => window.incidentmap.layer.getLayers().length);

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
  // Whatever the page's Content Security Policy blocks, on every page it loads.
  await page.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(
      `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  await page.goto(base + '/');
  await waitFor(page, () => window.incidentmap && window.incidentmap.ready);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, '1-loaded.png') });

  const all = await api('/api/incidents?limit=10000');
  check(all.numberMatched > 0, `the API has incidents (${all.numberMatched})`);
  await page.waitForTimeout(1000); // the zoom to the incidents animates: let clusters settle
  const fitted = await shown(page);
  check(fitted.total === all.numberMatched,
    `markers + cluster counts on the map (${fitted.singles} + ${fitted.clustered}) = API feature count (${all.numberMatched})`);
  // Zoomed out, neighbours (Kyiv, Chernihiv) cluster; the cluster counts still add up.
  await page.evaluate(() => window.incidentmap.map.setView([48.5, 33], 4, { animate: false }));
  await page.waitForTimeout(500);
  const far = await shown(page);
  check(far.clustered > 0 && far.total === all.numberMatched,
    `at zoom 4 incidents cluster (${far.singles} single, ${far.clustered} in clusters)`);
  await page.screenshot({ path: join(shots, '1b-clusters.png') });
  const countries = await page.locator('.leaflet-basemap-pane path').count();
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
    // "Read the article": the whole story beside the map, this incident's evidence marked.
    await popup.locator('button.read-article').first().click();
    const own = page.locator('#article .article-text mark.own');
    await own.first().waitFor();
    const marked = await own.allInnerTexts();
    const storyText = await page.locator('#article .article-text').innerText();
    check(marked.some((m) => m.includes('regional administration building')) && storyText.includes('Istanbul'),
      `the article panel shows the story with the incident's evidence marked (${marked.length} marked)`);
    check(await page.locator('#article .article-text mark.other').count() > 0, "the other incidents' evidence is marked too");
    check(await page.evaluate(() => document.getElementById('article').scrollTop > 0),
      "the panel scrolls to the incident's evidence");
    await page.screenshot({ path: join(shots, '2b-article.png') });
    await page.click('#article-close');
    check(await page.locator('#article').isHidden(), 'the article panel closes');
    await page.keyboard.press('Escape');
  }

  // Filter by type: the count follows the API.
  await page.uncheck('input[name=type][value="Strategic developments"]');
  await page.click('#filters button[type=submit]');
  await waitFor(page, (n) => window.incidentmap.count !== n, all.numberMatched);
  const filtered = await api('/api/incidents?limit=10000&type=' + encodeURIComponent(
    'Battles,Explosions/Remote violence,Violence against civilians,Protests,Riots'));
  const filteredMarkers = await inLayer(page);
  check(filteredMarkers === filtered.numberMatched && filtered.numberMatched < all.numberMatched,
    `after the type filter: ${filteredMarkers} markers = API ${filtered.numberMatched}`);
  check(page.url().includes('type='), 'the URL keeps the filter (permalink)');
  // The view's Atom feed: the same filters and the view's box; the feed lists what the map shows.
  const feedHref = await page.locator('#feed').getAttribute('href');
  const feedParams = new URL(feedHref, base).searchParams;
  check(feedParams.get('type') === new URL(page.url()).searchParams.get('type') && feedParams.has('bbox'),
    `the Atom feed link has the filters and the view (${feedHref})`);
  const feedRes = await fetch(new URL(feedHref, base));
  const feedXml = await feedRes.text();
  const inView = await api('/api/incidents?' + feedParams);
  check(feedRes.headers.get('content-type').startsWith('application/atom+xml')
    && (feedXml.match(/<entry>/g) || []).length === inView.features.length && inView.features.length > 0,
    `the feed has the view's ${inView.features.length} incidents`);
  check(await page.locator('link#feed-discovery').getAttribute('href') === feedHref, 'feed readers discover it');
  await page.screenshot({ path: join(shots, '3-filtered.png') });
  await page.click('#reset');
  await waitFor(page, (n) => window.incidentmap.count === n, all.numberMatched);

  // Search a place and fly there.
  await page.fill('#place-search', 'Mykolayiv');
  await page.click('#search-form button[type=submit]');
  await waitFor(page, () => window.incidentmap.lastSearch);
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
  await waitFor(page, (n) => window.incidentmap.count > n, all.numberMatched, { timeout: 20000 }).catch(() => {});
  const after = await api('/api/incidents?limit=10000');
  const afterMarkers = await inLayer(page);
  check(after.numberMatched > all.numberMatched && afterMarkers === after.numberMatched,
    `pasting an article adds incidents (${all.numberMatched} -> ${after.numberMatched}, ${afterMarkers} markers)`);
  await page.screenshot({ path: join(shots, '5-article.png') });

  // Timeline: one bar per day from the first to the last, counts from /api/stats; the slider
  // and the play button show one day at a time.
  const stats = await api('/api/stats');
  const bars = await page.locator('#chart rect').count();
  const dayKeys = Object.keys(stats.by_day).sort();
  const span = dayKeys.length ? (Date.parse(dayKeys[dayKeys.length - 1]) - Date.parse(dayKeys[0])) / 86400000 + 1 : 0;
  check(bars === span && span > 0, `the timeline has a bar per day (${bars} bars for ${span} days)`);
  const axis = await page.locator('#chart-axis span').allInnerTexts();
  check(axis.length >= 1 && axis[0] === dayKeys[0], `the timeline's axis has dates (${axis.join(', ')})`);
  const overflow = await page.evaluate(() => {
    const p = document.getElementById('panel');
    return p.scrollWidth - p.clientWidth;
  });
  check(overflow <= 0, `the side panel does not overflow sideways at 1280 px (${overflow} px)`);
  const lastDay = dayKeys[dayKeys.length - 1];
  await page.evaluate((k) => { const s = document.getElementById('day'); s.value = String(k); s.dispatchEvent(new Event('input')); }, span);
  const onDay = await api(`/api/incidents?limit=10000&since=${lastDay}&until=${lastDay}`);
  check(await inLayer(page) === onDay.numberMatched, `the slider on ${lastDay} shows that day's ${onDay.numberMatched} incidents`);
  await page.click('#play');
  await waitFor(page, () => document.getElementById('day').value === '1');
  check((await page.locator('#day-label').innerText()).startsWith(dayKeys[0]), 'play starts at the first day');
  await page.screenshot({ path: join(shots, '7-timeline.png') });
  await page.click('#play'); // pause
  await page.evaluate(() => { const s = document.getElementById('day'); s.value = '0'; s.dispatchEvent(new Event('input')); });

  // Drawing a rectangle queries the API's bbox: the results list is exactly its answer.
  await page.evaluate(() => window.incidentmap.map.setView([49.5, 32.5], 6, { animate: false }));
  await page.waitForTimeout(300);
  const box = await page.locator('#map').boundingBox();
  await page.click('#draw [data-draw=rectangle]');
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.7, { steps: 5 });
  await page.mouse.up();
  await waitFor(page, () => window.incidentmap.lastSelection);
  const bboxParam = await page.evaluate(() => {
    const b = window.incidentmap.drawn.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
  });
  const inBox = await api(`/api/incidents?limit=10000&bbox=${bboxParam}`);
  const listed = await page.locator('#results li').count();
  check(inBox.numberMatched > 0 && listed === inBox.numberMatched,
    `the rectangle lists ${listed} incidents = API bbox ${bboxParam}: ${inBox.numberMatched}`);
  await page.screenshot({ path: join(shots, '8-rectangle.png') });

  // A circle (press at the centre, drag the radius) queries near + radius_km.
  await page.evaluate(() => { window.incidentmap.lastSelection = null; });
  await page.click('#draw [data-draw=circle]');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.45);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.75, box.y + box.height * 0.55, { steps: 5 });
  await page.mouse.up();
  await waitFor(page, () => window.incidentmap.lastSelection);
  const circleParams = await page.evaluate(() => {
    const c = window.incidentmap.drawn.getLatLng();
    return `near=${c.lng.toFixed(6)},${c.lat.toFixed(6)}&radius_km=${Math.max(window.incidentmap.drawn.getRadius() / 1000, 0.001)}`;
  });
  const inCircle = await api(`/api/incidents?limit=10000&${circleParams}`);
  const circleListed = await page.locator('#results li').count();
  check(circleListed === inCircle.numberMatched,
    `the circle lists ${circleListed} incidents = API ${circleParams}: ${inCircle.numberMatched}`);

  // A polygon (clicks, then Enter) goes through POST /api/incidents/search.
  await page.evaluate(() => { window.incidentmap.lastSelection = null; });
  await page.click('#draw [data-draw=polygon]');
  for (const [fx, fy] of [[0.2, 0.2], [0.8, 0.2], [0.8, 0.9], [0.2, 0.9]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
    await page.waitForTimeout(120);
  }
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.incidentmap.lastSelection);
  const ring = await page.evaluate(() => {
    const r = window.incidentmap.drawn.getLatLngs()[0].map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
    r.push(r[0]);
    return r;
  });
  const inPolygon = await (await fetch(base + '/api/incidents/search', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ limit: 10000, within: { type: 'Polygon', coordinates: [ring] } }),
  })).json();
  const polyListed = await page.locator('#results li').count();
  check(polyListed === inPolygon.numberMatched && polyListed > 0,
    `the polygon lists ${polyListed} incidents = API search: ${inPolygon.numberMatched}`);
  await page.screenshot({ path: join(shots, '9-polygon.png') });
  await page.click('#draw-clear');

  // Export: a real download that GDAL reads with the API's count.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-geojson')]);
  const saved = join(dir, 'export.geojson');
  await download.saveAs(saved);
  const info = execFileSync('ogrinfo', ['-ro', '-so', '-al', saved], { encoding: 'utf8' });
  const gdalCount = Number((info.match(/Feature Count: (\d+)/) || [])[1]);
  const nowAll = await api('/api/incidents?limit=10000');
  check(gdalCount === nowAll.numberMatched, `the GeoJSON download holds ${gdalCount} features for GDAL = API ${nowAll.numberMatched}`);

  // The heatmap replaces the markers, and gives them back.
  await page.evaluate(() => window.incidentmap.map.setView([48.5, 33], 5, { animate: false }));
  await page.check('#heat-layer');
  await page.waitForTimeout(300);
  const heatOn = { pixels: await heatPixels(page), markers: await markersShown(page) };
  check(heatOn.pixels > 100 && heatOn.markers === 0, `the heatmap paints ${heatOn.pixels} pixels instead of markers`);
  check(await page.evaluate(() => {
    const z = (el) => Number(getComputedStyle(el.closest('.leaflet-pane')).zIndex);
    return z(document.querySelector('canvas.leaflet-heatmap-layer')) > z(document.querySelector('.leaflet-basemap-pane path'));
  }), 'the heatmap lies over the basemap, not under its land');
  await page.screenshot({ path: join(shots, '8b-heatmap.png') });
  await page.uncheck('#heat-layer');
  await page.waitForTimeout(300);
  check(await markersShown(page) > 0 && await heatPixels(page) === 0, 'and switches back to the markers');

  // Settings: the optional OpenStreetMap layer switches on (with its attribution) and off.
  await page.check('#osm-layer');
  const osmOn = await page.evaluate(() => document.querySelectorAll('.leaflet-tile-pane .leaflet-layer').length);
  const osmAttribution = await page.locator('.leaflet-control-attribution').innerText();
  check(osmOn === 1 && osmAttribution.includes('OpenStreetMap'), 'the OpenStreetMap layer can be switched on');
  await page.uncheck('#osm-layer');
  check(await page.evaluate(() => document.querySelectorAll('.leaflet-tile-pane .leaflet-layer').length) === 0,
    'and off again (the offline basemap stays)');

  // Phone width: the map and the panel both stay usable.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForTimeout(300);
  const mapBox = await page.locator('#map').boundingBox();
  check(mapBox && mapBox.width >= 380 && mapBox.height > 300, 'the map fills a phone-width screen');
  await page.screenshot({ path: join(shots, '6-phone.png') });

  // Embed mode, as a newsroom's iframe shows it: the map, its legend and attribution only, the
  // URL's filters applied.
  {
    const embed = await browser.newPage({ viewport: { width: 800, height: 500 } });
    embed.on('pageerror', (e) => errors.push(`embed: ${e.message}`));
    await embed.goto(base + '/?embed=1&type=Battles,Explosions/Remote+violence');
    await waitFor(embed, () => window.incidentmap && window.incidentmap.ready);
    await embed.waitForTimeout(1000);
    const hidden = await Promise.all(['header', '#panel', '#timeline'].map((sel) => embed.locator(sel).isHidden()));
    const box = await embed.locator('#map').boundingBox();
    check(hidden.every(Boolean) && box.width === 800 && box.height === 500,
      `embedded: only the map, filling the frame (${box.width}x${box.height})`);
    const legend = embed.locator('.leaflet-control-container #legend');
    check(await legend.isVisible() && (await legend.innerText()).includes('Battles'), 'embedded: the legend is on the map');
    const credit = await embed.locator('.leaflet-control-attribution').innerText();
    check(credit.includes('GeoNames') && credit.includes('Natural Earth'), 'embedded: the attribution is shown');
    const embedded = await shown(embed);
    const expected = await api('/api/incidents?limit=1&type=' + encodeURIComponent('Battles,Explosions/Remote violence'));
    check(embedded.total === expected.numberMatched && expected.numberMatched > 0,
      `embedded: the URL's filters apply (${embedded.total} = API ${expected.numberMatched})`);
    check(new URL(embed.url()).searchParams.get('embed') === '1', 'embedded: the URL stays in embed mode');
    await embed.screenshot({ path: join(shots, '6b-embed.png') });
    await embed.close();
  }
  check(errors.length === 0, `no JavaScript errors (${errors.join('; ')})`);
  const violations = await page.evaluate(() => window.cspViolations);
  check(violations.length === 0, `no Content Security Policy violations (${violations.join('; ')})`);

  // Scale: a generated store (100,000 incidents; INCIDENTMAP_BROWSER_INCIDENTS for more, as
  // bench/ runs it with 1,000,000) is drawn as the store's clusters; the first view, each pan's
  // view (from the end of the move to the view drawn) and the main thread's longest task are
  // measured with the Performance API and reported. The counts drawn equal the API's.
  const generate = process.env.INCIDENTMAP_GENERATE;
  const scale = Number(process.env.INCIDENTMAP_BROWSER_INCIDENTS || 100000);
  check(Boolean(generate), 'the incident generator is built (INCIDENTMAP_GENERATE)');
  if (generate) {
    const bigDb = join(dir, 'big.sqlite');
    execFileSync(generate, ['--db', bigDb, '--count', String(scale), '--batch', '20000'], { stdio: 'ignore' });
    const big = spawn(bin, ['serve', '--port', '0', '--quiet', '--db', bigDb, '--gazetteer', gazetteer,
      '--web', join(home, 'web'), '--vendor', join(home, 'node_modules')], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const bigPort = await new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60000);
        big.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/listening on http:\/\/[\d.]+:(\d+)/);
          if (m) { clearTimeout(timer); resolve(Number(m[1])); }
        });
      });
      const bigBase = `http://127.0.0.1:${bigPort}`;
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.addInitScript(() => {
        window.longTasks = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTasks.push(e.duration); })
          .observe({ type: 'longtask', buffered: true });
      });
      await page.goto(`${bigBase}/?view=48,31,5`);
      await waitFor(page, () => window.incidentmap && window.incidentmap.ready && window.incidentmap.firstView,
        null, { timeout: 60000 });
      const firstView = await page.evaluate(() => window.incidentmap.firstView);
      const loadTasks = await page.evaluate(() => window.longTasks.slice());
      const total = await page.evaluate(() => window.incidentmap.count);
      check(total === scale, `the header counts ${total} incidents of ${scale}`);
      // What the view shows adds up to what the API counts in the view's bbox.
      const drawn = async () => page.evaluate(() => {
        const squares = [...document.querySelectorAll('.store-cluster span')]
          .reduce((n, el) => n + Number(el.dataset.count), 0);
        return { squares, markers: window.incidentmap.layer ? window.incidentmap.layer.getLayers().length : 0 };
      });
      // The API's answers for the view: its clusters (a bbox selects whole squares) and the
      // incidents inside the bbox itself.
      const inView = async () => {
        const [bbox, zoom] = await page.evaluate(() => [window.incidentmap.viewBbox, window.incidentmap.map.getZoom()]);
        const clusters = await (await fetch(`${bigBase}/api/clusters?zoom=${Math.round(zoom)}&bbox=${bbox}`)).json();
        const inside = await (await fetch(`${bigBase}/api/incidents?limit=1&bbox=${bbox}`)).json();
        return { squares: clusters.numberMatched, inside: inside.numberMatched };
      };
      const first = await drawn();
      const firstApi = await inView();
      check(first.squares === firstApi.squares && first.squares >= firstApi.inside && first.markers === 0,
        `the first view draws the store's clusters of ${first.squares} incidents = API ${firstApi.squares} in its squares (${firstApi.inside} inside the bbox)`);
      await page.screenshot({ path: join(shots, '10-clusters.png') });
      await page.check('#heat-layer');
      await page.waitForTimeout(300);
      const bigHeat = await heatPixels(page);
      check(bigHeat > 1000 && await markersShown(page) === 0, `over the store's clusters the heatmap paints ${bigHeat} pixels`);
      await page.screenshot({ path: join(shots, '10c-heatmap.png') });
      await page.uncheck('#heat-layer');
      await page.waitForTimeout(300);
      // Click the biggest cluster: its square's incidents listed 100 a page, More adds the next,
      // the export link asks for exactly them.
      const biggest = await page.evaluate(() => {
        const spans = [...document.querySelectorAll('.store-cluster span')];
        let best = 0;
        spans.forEach((el, k) => { if (Number(el.dataset.count) > Number(spans[best].dataset.count)) best = k; });
        return best;
      });
      await page.locator('.store-cluster').nth(biggest).click();
      await waitFor(page, () => window.incidentmap.lastSquare);
      const square = await page.evaluate(() => window.incidentmap.lastSquare);
      const squareApi = await (await fetch(`${bigBase}/api/incidents?limit=1&${square.params}`)).json();
      const listedSquare = await page.locator('#results li').count();
      check(square.matched === squareApi.numberMatched && listedSquare === Math.min(100, squareApi.numberMatched),
        `a cluster's click lists ${listedSquare} of its square's ${square.matched} incidents (API ${squareApi.numberMatched})`);
      if (squareApi.numberMatched > 100) {
        await page.click('#square-more');
        await waitFor(page, () => window.incidentmap.lastSquare.shown > 100);
        check(await page.locator('#results li').count() === Math.min(200, squareApi.numberMatched), 'More lists the next page');
      }
      const exportHref = await page.locator('#square-export').getAttribute('href');
      check(exportHref.includes(`bbox=${encodeURIComponent(new URLSearchParams(square.params).get('bbox'))}`),
        `the square's export asks for its bbox (${exportHref})`);
      await page.screenshot({ path: join(shots, '10b-cluster-list.png') });
      const area = await page.locator('#map').boundingBox();
      const cx = area.x + area.width / 2;
      const cy = area.y + area.height / 2;
      // Each pan: the long tasks while it drags and redraws, and the time to its view.
      const views = [];
      const tasks = [...loadTasks];
      const settle = async (before) => {
        await waitFor(page, (b) => window.incidentmap.viewBbox !== b, before, { timeout: 30000 });
        views.push(await page.evaluate(() => window.incidentmap.viewMs));
      };
      const pan = async (dx, dy) => {
        const before = await page.evaluate(() => { window.longTasks = []; return window.incidentmap.viewBbox; });
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        await page.mouse.move(cx + dx, cy + dy, { steps: 12 });
        await page.mouse.up();
        await settle(before);
        tasks.push(...await page.evaluate(() => window.longTasks.slice()));
      };
      for (const [dx, dy] of [[300, 0], [-300, 150], [0, -200], [-250, 0], [250, 50]]) await pan(dx, dy);
      for (const zoom of [3, 9, 4, 7]) {
        const before = await page.evaluate((z) => {
          window.longTasks = [];
          const b = window.incidentmap.viewBbox;
          window.incidentmap.map.setZoom(z, { animate: false });
          return b;
        }, zoom);
        await settle(before);
        tasks.push(...await page.evaluate(() => window.longTasks.slice()));
      }
      const zoomed = await drawn();
      const zoomedApi = await inView();
      check(zoomed.markers ? zoomed.markers === zoomedApi.inside : zoomed.squares === zoomedApi.squares,
        `after pans and zooms the view draws ${zoomed.squares} in clusters + ${zoomed.markers} incidents = API ${zoomed.markers ? zoomedApi.inside : zoomedApi.squares}`);
      const worst = tasks.length ? Math.max(...tasks) : 0;
      const sorted = views.slice().sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)];
      console.log(`scale: ${scale.toLocaleString('en')} incidents: first view ${firstView.toFixed(0)} ms after navigation; ` +
        `${views.length} pans and zooms to their view: median ${median.toFixed(0)} ms, slowest ${sorted[sorted.length - 1].toFixed(0)} ms; ` +
        `${tasks.length} long tasks, longest ${worst.toFixed(0)} ms`);
      check(worst <= 200, `over ${scale.toLocaleString('en')} incidents no main-thread task takes over 200 ms (longest ${worst.toFixed(0)} ms)`);
      await page.screenshot({ path: join(shots, '11-zoomed.png') });
    } finally {
      big.kill('SIGTERM');
    }
  }
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
