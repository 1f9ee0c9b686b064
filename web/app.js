// The incidentmap web map: incidents from /api/incidents over an offline Natural Earth basemap.
/* global L */

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

const state = { map: null, layer: null, count: 0 };
window.incidentmap = { ready: false, count: 0 };

function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

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

function popupHtml(p) {
  const casualties = `${p.fatalities ?? 0} killed, ${p.injured ?? 0} injured`;
  const actors = [p.actor1, p.actor2].filter(Boolean).map(escapeHtml).join(' vs ') || '—';
  const source = p.source_url
    ? `<a href="${escapeHtml(p.source_url)}" rel="noopener noreferrer" target="_blank">${escapeHtml(p.source || p.source_url)}</a>`
    : escapeHtml(p.source || '—');
  const evidence = (p.evidence || []).map((e) => `<blockquote>${highlight(e.text, p.location)}</blockquote>`).join('');
  return `<div class="popup">
    <h3>${escapeHtml(p.event_type)}</h3>
    <div>${escapeHtml(p.sub_event_type)}</div>
    <dl>
      <dt>Date</dt><dd>${escapeHtml(p.event_date)}</dd>
      <dt>Place</dt><dd>${escapeHtml(p.location)}${p.country ? ', ' + escapeHtml(p.country) : ''} (${escapeHtml(PRECISION[p.geo_precision] || '')})</dd>
      <dt>Casualties</dt><dd>${escapeHtml(casualties)}</dd>
      <dt>Actors</dt><dd>${actors}</dd>
      <dt>Source</dt><dd>${source}</dd>
    </dl>${evidence}</div>`;
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
}

async function fetchJson(url, options) {
  const res = await fetch(url, options);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.detail || `${res.status} ${res.statusText}`);
  return body;
}

async function loadIncidents(fit) {
  const params = currentFilters();
  const url = new URLSearchParams(params);
  url.set('limit', '10000');
  const view = new URLSearchParams(params);
  if (state.map && !fit) {
    const c = state.map.getCenter();
    view.set('view', `${c.lat.toFixed(4)},${c.lng.toFixed(4)},${state.map.getZoom()}`);
  }
  history.replaceState(null, '', `${location.pathname}${view.toString() ? '?' + view : ''}`);
  updateExportLinks(params);
  const countEl = document.getElementById('count');
  try {
    const fc = await fetchJson(`/api/incidents?${url}`);
    if (state.layer) state.layer.remove();
    state.layer = L.featureGroup(fc.features.map((f) => {
      const p = f.properties;
      const [lon, lat] = f.geometry.coordinates;
      const marker = L.circleMarker([lat, lon], {
        radius: 6 + Math.min(14, Math.sqrt(p.fatalities || 0) * 2),
        color: '#222', weight: 1, fillColor: TYPES[p.event_type] || '#777', fillOpacity: 0.85,
        className: 'incident-marker',
      });
      marker.bindPopup(popupHtml(p), { maxWidth: 360 });
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
    })).addTo(state.map);
    state.count = fc.features.length;
    countEl.textContent = `${fc.numberMatched ?? state.count} incident${state.count === 1 ? '' : 's'}`;
    if (fit && state.count) state.map.fitBounds(state.layer.getBounds(), { padding: [40, 40], maxZoom: 8 });
  } catch (e) {
    countEl.textContent = `error: ${e.message}`;
    state.count = 0;
  }
  window.incidentmap = { ready: true, count: state.count, map: state.map };
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
      const zoom = c.kind === 'country' ? 5 : c.kind === 'admin1' ? 7 : 10;
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

async function main() {
  buildLegendAndTypes();
  const params = new URLSearchParams(location.search);
  applyFiltersToForm(params);
  state.map = L.map('map', { worldCopyJump: true, minZoom: 2 });
  state.map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  state.map.attributionControl.addAttribution(ATTRIBUTION);
  const view = (params.get('view') || '').split(',').map(Number);
  if (view.length === 3 && view.every(Number.isFinite)) state.map.setView([view[0], view[1]], view[2]);
  else state.map.setView([30, 20], 3);
  try {
    const countries = await fetchJson('/api/countries');
    L.geoJSON(countries, {
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
  await loadIncidents(!params.get('view'));
}

main();
