// The incidentmap web map: incidents from /api/incidents, or the store's clusters of them
// (/api/clusters) when there are many, over an offline Natural Earth basemap.
/* global L */
import { setUpArticlePanel } from './article.js';
import { heatFromClusters, heatFromIncidents, heatIsOn, showHeat } from './heat.js';
import { escapeHtml, fetchJson } from './util.js';

const TYPES = {
  'Battles': '#d62728',
  'Explosions/Remote violence': '#ff7f0e',
  'Violence against civilians': '#9467bd',
  'Protests': '#2ca02c',
  'Riots': '#8c564b',
  'Strategic developments': '#1f77b4',
};
const FILTERS = ['since', 'until', 'min_fatalities', 'q', 'type'];
const ATTRIBUTION = 'Places © <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0) · Boundaries: Natural Earth';

const state = {
  map: null, layer: null, squares: null, count: 0, matched: 0, mode: null, day: null, features: [], days: [],
  drawn: null, osm: null,
};
window.incidentmap = { ready: false, count: 0 };

// The evidence sentence with the place name highlighted (both escaped).
function highlight(sentence, place) {
  const safe = escapeHtml(sentence);
  if (!place) return safe;
  const needle = escapeHtml(place);
  const i = safe.toLowerCase().indexOf(needle.toLowerCase());
  if (i < 0) return safe;
  return `${safe.slice(0, i)}<mark>${safe.slice(i, i + needle.length)}</mark>${safe.slice(i + needle.length)}`;
}

const PRECISION = { 1: 'the place itself', 2: 'near the place', 3: 'region or country' };

// The popup of incident `id`, whose properties are `p`.
function popupHtml(p, id) {
  const casualties = `${p.fatalities ?? 0} killed, ${p.injured ?? 0} injured`;
  const actors = [p.actor1, p.actor2].filter(Boolean).map(escapeHtml).join(' vs ') || '—';
  const source = p.source_url
    ? `<a href="${escapeHtml(p.source_url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(p.source || p.source_url)}</a>`
    : escapeHtml(p.source || '—');
  const evidence = (p.evidence || []).map((e) => `<blockquote>${highlight(e.text, p.location)}</blockquote>`).join('');
  const articles = [...new Set((p.evidence || []).map((e) => e.article_id).filter(Boolean))];
  const reads = articles.map((a) => `<button type="button" class="read-article" data-article="${a}" data-incident="${id ?? ''}">Read the article</button>`).join(' ');
  return `<div class="popup">
    <h3>${escapeHtml(p.event_type)}</h3>
    <div>${escapeHtml(p.sub_event_type)}</div>
    <dl>
      <dt>Date</dt><dd>${escapeHtml(p.event_date)}</dd>
      <dt>Place</dt><dd>${escapeHtml(p.location)}${p.country ? ', ' + escapeHtml(p.country) : ''} (${escapeHtml(PRECISION[p.geo_precision] || '')})</dd>
      <dt>Casualties</dt><dd>${escapeHtml(casualties)}</dd>
      <dt>Actors</dt><dd>${actors}</dd>
      <dt>Source</dt><dd>${source}</dd>
    </dl>${evidence}${reads ? `<div class="row">${reads}</div>` : ''}</div>`;
}

function currentFilters() {
  const form = document.getElementById('filters');
  const params = new URLSearchParams();
  for (const name of ['since', 'until', 'min_fatalities', 'q']) {
    const v = form.elements[name].value.trim();
    if (v) params.set(name, v);
  }
  const checked = [...form.querySelectorAll('input[name=type]:checked')].map((c) => c.value);
  if (checked.length && checked.length < Object.keys(TYPES).length) params.set('type', checked.join(','));
  return params;
}

function applyFiltersToForm(params) {
  const form = document.getElementById('filters');
  for (const name of ['since', 'until', 'min_fatalities', 'q']) form.elements[name].value = params.get(name) || '';
  const types = params.get('type') ? params.get('type').split(',') : Object.keys(TYPES);
  for (const box of form.querySelectorAll('input[name=type]')) box.checked = types.includes(box.value);
}

function updateExportLinks(params) {
  for (const format of ['geojson', 'gpkg', 'csv', 'kml']) {
    const p = new URLSearchParams(params);
    p.set('format', format);
    document.getElementById(`export-${format}`).href = `/api/export?${p}`;
  }
  updateFeedLink();
}

// The Atom feed of what the view shows: the filters and the view's box (the link in the panel
// and the page's feed for readers that discover it).
function updateFeedLink() {
  const p = currentFilters();
  p.set('bbox', viewBbox(0));
  const href = `/api/incidents.atom?${p}`;
  document.getElementById('feed').href = href;
  document.getElementById('feed-discovery').href = href;
}

// Up to ALL_BELOW matches the page holds them all and clusters them itself (panning needs no
// request); above, the store counts them in grid squares for each view (/api/clusters), and a
// view holding at most VIEW_BELOW gets its incidents themselves.
const ALL_BELOW = 5000;
const VIEW_BELOW = 2000;

async function loadIncidents(fit) {
  const params = currentFilters();
  const view = new URLSearchParams(params);
  if (state.map && !fit) {
    const c = state.map.getCenter();
    view.set('view', `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${state.map.getZoom()}`);
  }
  if (state.embed) view.set('embed', '1');
  history.replaceState(null, '', `${location.pathname}${view.toString() ? '?' + view : ''}`);
  updateExportLinks(params);
  const countEl = document.getElementById('count');
  try {
    // The total from the store's coarsest clusters (its kept counts answer at once); the
    // timeline's counts by day come beside it, not before the map.
    const timeline = fetchJson(`/api/stats?${params}`).then(showTimeline);
    const world = new URLSearchParams(params);
    world.set('zoom', '0');
    state.matched = (await fetchJson(`/api/clusters?${world}`)).numberMatched;
    state.day = null;
    if (state.matched <= ALL_BELOW) {
      state.mode = 'all';
      state.features = await fetchAll(params);
      showFeatures(state.features);
      if (fit && state.features.length) state.map.fitBounds(state.layer.getBounds(), { padding: [40, 40], maxZoom: 8 });
    } else {
      state.mode = 'view';
      state.features = [];
      if (fit) await fitToClusters(params);
      await refreshView();
    }
    state.count = state.matched;
    countEl.textContent = `${state.matched.toLocaleString('en')} incident${state.matched === 1 ? '' : 's'}`;
    publish();
    await timeline;
  } catch (e) {
    console.error(e);
    countEl.textContent = `error: ${e.message ?? e}`;
    state.count = 0;
  }
  publish();
}

// Every match, in pages of 5,000 with keyset cursors.
async function fetchAll(params) {
  const url = new URLSearchParams(params);
  url.set('limit', '5000');
  let fc = await fetchJson(`/api/incidents?${url}`);
  const features = fc.features;
  while (fc.next_cursor) {
    url.set('cursor', fc.next_cursor);
    fc = await fetchJson(`/api/incidents?${url}`);
    for (const f of fc.features) features.push(f);
  }
  return features;
}

// Fits the map to where the matches are: the squares of a coarse world grid that hold any.
async function fitToClusters(params) {
  const url = new URLSearchParams(params);
  url.set('zoom', '2');
  const fc = await fetchJson(`/api/clusters?${url}`);
  if (!fc.features.length) return;
  const bounds = L.latLngBounds(fc.features.map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]));
  state.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 8, animate: false });
}

// The view (and `pad` of it around) as a bbox parameter; the whole world when it spans it.
function viewBbox(pad = 0.25) {
  const b = state.map.getBounds().pad(pad);
  const south = Math.max(-90, b.getSouth());
  const north = Math.min(90, b.getNorth());
  if (b.getEast() - b.getWest() >= 360) return `-180,${south.toFixed(5)},180,${north.toFixed(5)}`;
  const wrap = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;
  return [wrap(b.getWest()), south, wrap(b.getEast()), north].map((v) => v.toFixed(5)).join(',');
}

// The view's clusters or incidents from the store, for the filters (and the timeline's day).
// A newer view cancels the request of an older one.
async function refreshView() {
  if (state.mode !== 'view') return;
  if (state.viewRequest) state.viewRequest.abort();
  const request = new AbortController();
  state.viewRequest = request;
  const params = currentFilters();
  if (state.day) { params.set('since', state.day); params.set('until', state.day); }
  params.set('bbox', viewBbox());
  const started = performance.now();
  try {
    const clusters = new URLSearchParams(params);
    clusters.set('zoom', String(Math.round(state.map.getZoom())));
    const fc = await fetchJson(`/api/clusters?${clusters}`, { signal: request.signal });
    if (fc.numberMatched <= VIEW_BELOW) {
      params.set('limit', String(VIEW_BELOW));
      const incidents = await fetchJson(`/api/incidents?${params}`, { signal: request.signal });
      showFeatures(incidents.features);
    } else {
      showClusters(fc.features);
    }
    state.inView = fc.numberMatched;
    state.viewBbox = params.get('bbox');
    // From the end of the move (or the start of the request) to the view shown.
    state.viewMs = performance.now() - Math.min(started, state.movedAt ?? started);
    state.movedAt = null;
    state.firstView ??= performance.now(); // since the navigation began
    publish();
  } catch (e) {
    if (e.name !== 'AbortError') {
      console.error(e);
      document.getElementById('count').textContent = `error: ${e.message ?? e}`;
    }
  }
}

function publish() {
  window.incidentmap = {
    ...window.incidentmap, ready: true, count: state.count, map: state.map, layer: state.layer,
    mode: state.mode, inView: state.inView, viewBbox: state.viewBbox, viewMs: state.viewMs,
    firstView: state.firstView,
  };
}

// Up to 20,000 incidents are SVG markers (each focusable from the keyboard); more are drawn on
// a canvas, which stays fast with hundreds of thousands (clusters stay focusable either way).
const CANVAS_ABOVE = 20000;

function markerFor(f, canvas) {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const marker = L.circleMarker([lat, lon], {
    ...(canvas ? { renderer: canvas } : {}),
    radius: 6 + Math.min(14, Math.sqrt(p.fatalities || 0) * 2),
    color: '#222', weight: 1, fillColor: TYPES[p.event_type] || '#777', fillOpacity: 0.85,
    className: 'incident-marker',
  });
  marker.feature = f;
  marker.bindPopup(() => popupHtml(p, f.id), { maxWidth: 360 });
  marker.on('add', () => {
    const el = marker.getElement();
    if (el) {
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'button');
      el.setAttribute('aria-label', `${p.event_type} at ${p.location} on ${p.event_date}`);
      el.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') marker.openPopup(); });
    }
  });
  return marker;
}

// Incidents themselves: markers cluster at low zoom (a count per cluster) and split apart as
// the user zooms in; loading is chunked so that large sets do not freeze the page.
function showFeatures(features) {
  if (state.squares) state.squares.clearLayers();
  if (!state.layer) {
    state.layer = L.markerClusterGroup({
      chunkedLoading: true, maxClusterRadius: 45, disableClusteringAtZoom: 10,
      showCoverageOnHover: false, spiderfyOnMaxZoom: true,
    }).addTo(state.map);
  }
  state.layer.clearLayers();
  if (features.length > CANVAS_ABOVE && !state.canvas) state.canvas = L.canvas({ padding: 0.5 });
  const canvas = features.length > CANVAS_ABOVE ? state.canvas : null;
  state.layer.addLayers(features.map((f) => markerFor(f, canvas)));
  heatFromIncidents(features);
  if (heatIsOn()) showHeat(state.map, true, [state.layer, state.squares]);
}

// The store's clusters: a count at each square's incidents' mean position, styled as the
// marker layer's own clusters; a click zooms into the square.
function clusterMarker(f) {
  const p = f.properties;
  const [lon, lat] = f.geometry.coordinates;
  const size = p.count < 10 ? 'small' : p.count < 100 ? 'medium' : 'large';
  const label = p.count >= 10000 ? `${Math.round(p.count / 1000)}k` : String(p.count);
  const types = Object.entries(p.by_type).map(([t, n]) => `${n.toLocaleString('en')} ${t}`).join(', ');
  const marker = L.marker([lat, lon], {
    icon: L.divIcon({
      html: `<div><span data-count="${p.count}">${label}</span></div>`,
      className: `marker-cluster marker-cluster-${size} store-cluster`, iconSize: L.point(40, 40),
    }),
    keyboard: true,
    title: `${p.count.toLocaleString('en')} incidents (${types}), ${p.fatalities.toLocaleString('en')} killed`,
  });
  marker.on('click', () => listSquare(f));
  marker.on('dblclick', () => {
    const [w, s, e, n] = f.bbox;
    state.map.fitBounds([[s, w], [n, e]], { maxZoom: state.map.getZoom() + 3 });
  });
  return marker;
}

function showClusters(features) {
  if (state.layer) state.layer.clearLayers();
  if (!state.squares) state.squares = L.layerGroup().addTo(state.map);
  state.squares.clearLayers();
  for (const f of features) state.squares.addLayer(clusterMarker(f));
  heatFromClusters(features);
  if (heatIsOn()) showHeat(state.map, true, [state.layer, state.squares]);
}

// --- Timeline: incidents per day (GET /api/stats) and a day-by-day animation ---

function showTimeline(stats) {
  const byDay = new Map(Object.entries(stats.by_day || {}));
  const days = [...byDay.keys()].sort();
  // Every day between the first and the last, empty ones included.
  const all = [];
  if (days.length) {
    for (let d = new Date(`${days[0]}T00:00:00Z`); d <= new Date(`${days[days.length - 1]}T00:00:00Z`);
      d = new Date(d.getTime() + 86400000)) {
      all.push(d.toISOString().slice(0, 10));
    }
  }
  state.days = all.map((day) => ({ day, count: byDay.get(day) || 0 }));
  const slider = document.getElementById('day');
  slider.max = String(state.days.length);
  slider.value = '0';
  document.getElementById('day-label').textContent = 'all days';
  drawChart(-1);
}

function drawChart(selected) {
  const svg = document.getElementById('chart');
  const n = state.days.length;
  const max = Math.max(1, ...state.days.map((d) => d.count));
  svg.setAttribute('viewBox', `0 0 ${Math.max(n, 1)} 100`);
  svg.replaceChildren(...state.days.map((d, i) => {
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    const h = (d.count / max) * 100;
    r.setAttribute('x', String(i + 0.1));
    r.setAttribute('width', '0.8');
    r.setAttribute('y', String(100 - h));
    r.setAttribute('height', String(Math.max(h, d.count ? 2 : 0)));
    r.setAttribute('class', i === selected ? 'on' : '');
    r.dataset.day = d.day;
    const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    t.textContent = `${d.day}: ${d.count} incident${d.count === 1 ? '' : 's'}`;
    r.appendChild(t);
    r.addEventListener('click', () => showDay(i + 1));
    return r;
  }));
  drawAxis();
}

// Dates under the bars: about eight, months when the span is long, days otherwise.
function drawAxis() {
  const axis = document.getElementById('chart-axis');
  const n = state.days.length;
  const step = Math.max(1, Math.ceil(n / 8));
  const label = (day) => (n > 120 ? day.slice(0, 7) : day);
  const ticks = [];
  for (let i = 0; i < n; i += step) {
    const span = document.createElement('span');
    span.style.left = `${((i + 0.5) / n) * 100}%`;
    span.textContent = label(state.days[i].day);
    ticks.push(span);
  }
  axis.replaceChildren(...ticks);
}

// Slider position 0 = every day; k = the k-th day only: filtered in the page when it holds
// every match, by the store for each view otherwise.
function showDay(k) {
  const slider = document.getElementById('day');
  slider.value = String(k);
  const label = document.getElementById('day-label');
  const one = k > 0 && k <= state.days.length ? state.days[k - 1] : null;
  state.day = one ? one.day : null;
  if (state.mode === 'all') {
    const features = one ? state.features.filter((f) => f.properties.event_date === one.day) : state.features;
    showFeatures(features);
    state.count = features.length;
  } else {
    state.count = one ? one.count : state.matched;
    refreshView();
  }
  label.textContent = one ? `${one.day}: ${state.count}` : 'all days';
  drawChart(one ? k - 1 : -1);
  document.getElementById('count').textContent =
    `${state.count.toLocaleString('en')} incident${state.count === 1 ? '' : 's'}${one ? ' that day' : ''}`;
  publish();
}

function setUpTimeline() {
  const slider = document.getElementById('day');
  slider.addEventListener('input', () => showDay(Number(slider.value)));
  const play = document.getElementById('play');
  let timer = null;
  const stop = () => {
    clearInterval(timer);
    timer = null;
    play.setAttribute('aria-pressed', 'false');
    play.textContent = '▶ Play';
  };
  play.addEventListener('click', () => {
    if (timer) { stop(); return; }
    if (!state.days.length) return;
    play.setAttribute('aria-pressed', 'true');
    play.textContent = '⏸ Pause';
    let k = Number(slider.value) >= state.days.length ? 0 : Number(slider.value);
    const step = () => {
      k += 1;
      if (k > state.days.length) { stop(); showDay(0); return; }
      showDay(k);
    };
    step();
    timer = setInterval(step, 700);
  });
}

// --- Spatial query by drawing: rectangle, circle, polygon -> the API -> a results list ---

function setUpDrawing() {
  const map = state.map;
  const buttons = [...document.querySelectorAll('#draw [data-draw]')];
  let mode = null;
  let start = null;
  let shape = null;
  let vertices = [];
  const setMode = (m) => {
    mode = m;
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.draw === m));
    document.getElementById('map').classList.toggle('drawing', Boolean(m));
    if (m) map.dragging.disable(); else map.dragging.enable();
    if (m) map.doubleClickZoom.disable(); else map.doubleClickZoom.enable();
  };
  const clear = () => {
    if (state.drawn) state.drawn.remove();
    state.drawn = null;
    document.getElementById('results').replaceChildren();
  };
  for (const b of buttons) {
    b.addEventListener('click', () => { clear(); setMode(mode === b.dataset.draw ? null : b.dataset.draw); vertices = []; });
  }
  document.getElementById('draw-clear').addEventListener('click', () => { clear(); setMode(null); });
  map.on('mousedown', (e) => {
    if (mode !== 'rectangle' && mode !== 'circle') return;
    start = e.latlng;
    shape = mode === 'rectangle'
      ? L.rectangle(L.latLngBounds(start, start), { color: '#f0a500', weight: 2 }).addTo(map)
      : L.circle(start, { radius: 1, color: '#f0a500', weight: 2 }).addTo(map);
  });
  map.on('mousemove', (e) => {
    if (!start || !shape) return;
    if (mode === 'rectangle') shape.setBounds(L.latLngBounds(start, e.latlng));
    else shape.setRadius(map.distance(start, e.latlng));
  });
  map.on('mouseup', async () => {
    if (!start || !shape) return;
    const done = shape;
    start = null;
    shape = null;
    setMode(null);
    state.drawn = done;
    await querySelection(done);
  });
  const finishPolygon = async () => {
    if (mode !== 'polygon' || vertices.length < 3) return;
    const done = L.polygon(vertices, { color: '#f0a500', weight: 2 });
    if (shape) shape.remove();
    shape = null;
    vertices = [];
    setMode(null);
    state.drawn = done.addTo(map);
    await querySelection(done);
  };
  map.on('click', (e) => {
    if (mode !== 'polygon') return;
    vertices.push(e.latlng);
    if (shape) shape.setLatLngs(vertices);
    else shape = L.polyline(vertices, { color: '#f0a500', weight: 2, dashArray: '4' }).addTo(map);
  });
  map.on('dblclick', finishPolygon);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && mode === 'polygon') finishPolygon();
    if (e.key === 'Escape' && mode) { if (shape) shape.remove(); shape = null; vertices = []; setMode(null); }
  });
}

// Runs the drawn selection through the API with the current filters and lists the answer.
async function querySelection(shape) {
  window.incidentmap.drawn = shape;
  const params = currentFilters();
  params.set('limit', '10000');
  let fc;
  const list = document.getElementById('results');
  try {
    if (shape instanceof L.Circle) {
      const c = shape.getLatLng();
      params.set('near', `${c.lng.toFixed(6)},${c.lat.toFixed(6)}`);
      params.set('radius_km', String(Math.max(shape.getRadius() / 1000, 0.001)));
      fc = await fetchJson(`/api/incidents?${params}`);
    } else if (shape instanceof L.Rectangle) {
      const b = shape.getBounds();
      params.set('bbox', [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(','));
      fc = await fetchJson(`/api/incidents?${params}`);
    } else {
      const ring = shape.getLatLngs()[0].map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
      ring.push(ring[0]);
      const body = Object.fromEntries(params);
      body.within = { type: 'Polygon', coordinates: [ring] };
      fc = await fetchJson('/api/incidents/search', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
      });
    }
  } catch (err) {
    list.replaceChildren();
    document.getElementById('draw-hint').textContent = `Query failed: ${err.message}`;
    return;
  }
  document.getElementById('draw-hint').textContent =
    `${fc.numberMatched} incident${fc.numberMatched === 1 ? '' : 's'} in the selection`;
  listResults(fc.features, false);
  window.incidentmap.lastSelection = fc;
}

// The results list: a line per incident (a click or Enter flies to it and opens its popup).
function listResults(features, append) {
  const list = document.getElementById('results');
  const items = features.map((f) => {
    const li = document.createElement('li');
    li.tabIndex = 0;
    li.dataset.id = String(f.id);
    li.textContent = `${f.properties.event_date} · ${f.properties.event_type} · ${f.properties.location}`;
    const open = () => {
      const [lon, lat] = f.geometry.coordinates;
      state.map.flyTo([lat, lon], Math.max(state.map.getZoom(), 10), { duration: 0.4 });
      L.popup({ maxWidth: 360 }).setLatLng([lat, lon]).setContent(popupHtml(f.properties, f.id)).openOn(state.map);
    };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
    return li;
  });
  if (append) list.append(...items); else list.replaceChildren(...items);
}

// A store cluster clicked: its square's incidents with the current filters, 100 a page (More
// reads the next with the keyset cursor), and an export of exactly those.
async function listSquare(f) {
  const params = currentFilters();
  if (state.day) { params.set('since', state.day); params.set('until', state.day); }
  params.set('bbox', f.bbox.join(','));
  if (state.drawn) state.drawn.remove();
  const [w, s, e, n] = f.bbox;
  state.drawn = L.rectangle([[s, w], [n, e]], { color: '#f0a500', weight: 2, fill: false, interactive: false }).addTo(state.map);
  const hint = document.getElementById('draw-hint');
  const page = new URLSearchParams(params);
  page.set('limit', '100');
  let shown = 0;
  const more = async (cursor) => {
    if (cursor) page.set('cursor', cursor);
    const fc = await fetchJson(`/api/incidents?${page}`);
    listResults(fc.features, Boolean(cursor));
    shown += fc.features.length;
    const exportUrl = new URLSearchParams(params);
    exportUrl.set('format', 'geojson');
    hint.replaceChildren(`${fc.numberMatched.toLocaleString('en')} incidents in the square, ${shown.toLocaleString('en')} listed · `);
    const link = document.createElement('a');
    link.href = `/api/export?${exportUrl}`;
    link.textContent = 'export them (GeoJSON)';
    link.id = 'square-export';
    link.setAttribute('download', '');
    hint.append(link);
    if (fc.next_cursor) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'More';
      button.id = 'square-more';
      button.addEventListener('click', () => more(fc.next_cursor));
      hint.append(' ', button);
    }
    window.incidentmap.lastSquare = { params: params.toString(), matched: fc.numberMatched, shown };
  };
  try {
    await more(null);
  } catch (err) {
    hint.textContent = `Query failed: ${err.message}`;
  }
}

// --- Settings: an optional online tile layer ---

function setUpSettings() {
  const heatBox = document.getElementById('heat-layer');
  heatBox.addEventListener('change', () => showHeat(state.map, heatBox.checked, [state.layer, state.squares]));
  const box = document.getElementById('osm-layer');
  const apply = () => {
    localStorage.setItem('incidentmap-osm', box.checked ? '1' : '');
    if (box.checked && !state.osm) {
      state.osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
        maxZoom: 19,
        attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
      }).addTo(state.map);
      state.osm.bringToBack();
    } else if (!box.checked && state.osm) {
      state.osm.remove();
      state.osm = null;
    }
  };
  box.checked = localStorage.getItem('incidentmap-osm') === '1';
  box.addEventListener('change', apply);
  apply();
}

function buildLegendAndTypes() {
  const legend = document.querySelector('#legend ul');
  const types = document.getElementById('types');
  for (const [type, colour] of Object.entries(TYPES)) {
    const li = document.createElement('li');
    li.innerHTML = `<span class="swatch" style="background:${colour}"></span>${escapeHtml(type)}`;
    legend.appendChild(li);
    const label = document.createElement('label');
    label.innerHTML = `<input type="checkbox" name="type" value="${escapeHtml(type)}" checked> ${escapeHtml(type)}`;
    types.appendChild(label);
  }
}

function setUpSearch() {
  const input = document.getElementById('place-search');
  const list = document.getElementById('place-options');
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const r = await fetchJson(`/api/geocode?match=prefix&limit=8&q=${encodeURIComponent(q)}`);
        list.replaceChildren(...r.candidates.map((c) => {
          const o = document.createElement('option');
          o.value = c.name;
          o.label = [c.admin1_name, c.country_name || c.country].filter(Boolean).join(', ');
          return o;
        }));
      } catch { /* no suggestions */ }
    }, 150);
  });
  document.getElementById('search-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    try {
      const r = await fetchJson(`/api/geocode?limit=1&q=${encodeURIComponent(q)}`);
      if (!r.candidates.length) throw new Error(`no place called ${q}`);
      const c = r.candidates[0];
      const zoom = c.kind === 'continent' ? 3 : c.kind === 'country' ? 5 : c.kind === 'admin1' ? 7 : 10;
      state.map.flyTo([c.lat, c.lon], zoom, { duration: 0.6 });
      window.incidentmap.lastSearch = c;
    } catch (err) {
      document.getElementById('count').textContent = err.message;
    }
  });
}

function setUpArticleForm() {
  const form = document.getElementById('article-form');
  form.elements.token.value = localStorage.getItem('incidentmap-token') || '';
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = document.getElementById('article-result');
    const token = form.elements.token.value.trim();
    localStorage.setItem('incidentmap-token', token);
    try {
      const r = await fetchJson('/api/articles', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ text: form.elements.text.value, published: form.elements.published.value, source: form.elements.source.value }),
      });
      out.textContent = r.existed ? 'This article was added before: nothing changed.'
        : `${r.created} new incident(s), ${r.merged} merged into existing ones.`;
      await loadIncidents(false);
    } catch (err) {
      out.textContent = `Not added: ${err.message}`;
    }
  });
}

// Embed mode (?embed=1, for a newsroom's iframe): the map with its legend and attribution only;
// the filters of the URL still apply.
function setUpEmbed(map) {
  document.body.classList.add('embed');
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const box = document.getElementById('legend');
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);
}

async function main() {
  buildLegendAndTypes();
  const params = new URLSearchParams(location.search);
  state.embed = params.get('embed') === '1';
  applyFiltersToForm(params);
  state.map = L.map('map', { worldCopyJump: true, minZoom: 2, maxZoom: 18 });
  state.map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  state.map.attributionControl.addAttribution(ATTRIBUTION);
  if (state.embed) setUpEmbed(state.map);
  const view = (params.get('view') || '').split(',').map(Number);
  if (view.length === 3 && view.every(Number.isFinite)) state.map.setView([view[0], view[1]], view[2]);
  else state.map.setView([30, 20], 3);
  try {
    const countries = await fetchJson('/api/countries');
    // The basemap under every overlay (leaflet.heat draws into the overlay pane itself).
    state.map.createPane('basemap').style.zIndex = '250';
    L.geoJSON(countries, {
      pane: 'basemap',
      style: { color: '#8a8a8a', weight: 0.6, fillColor: '#f2efe9', fillOpacity: 1 },
      interactive: false,
    }).addTo(state.map);
  } catch (e) {
    console.warn('basemap unavailable', e);
  }
  document.getElementById('filters').addEventListener('submit', (e) => { e.preventDefault(); loadIncidents(false); });
  document.getElementById('reset').addEventListener('click', () => { applyFiltersToForm(new URLSearchParams()); loadIncidents(true); });
  setUpSearch();
  setUpArticleForm();
  setUpArticlePanel();
  setUpTimeline();
  setUpDrawing();
  setUpSettings();
  let moved = null;
  state.map.on('moveend', () => {
    state.movedAt = performance.now();
    updateFeedLink();
    clearTimeout(moved);
    moved = setTimeout(refreshView, 60);
  });
  await loadIncidents(!params.get('view'));
}

main();
