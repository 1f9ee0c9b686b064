// The heatmap view (leaflet.heat): instead of markers, the incidents' heat weighted by their
// fatalities (each counts 1 + its fatalities), or, when the store clusters a view, each square's
// count plus its fatalities at its mean position.
/* global L */

const heat = { map: null, layer: null, on: false, points: [] };

// The weight at which a point is the hottest: most of the view's weights, not the largest one
// (a single massacre would otherwise leave everything else invisible).
function hottest(points) {
  if (!points.length) return 1;
  const weights = points.map((p) => p[2]).sort((a, b) => a - b);
  return Math.max(1, weights[Math.floor(weights.length * 0.9)]);
}

function redraw() {
  if (!heat.on) return;
  if (!heat.layer) heat.layer = L.heatLayer([], { radius: 22, blur: 18, minOpacity: 0.25 });
  heat.layer.setOptions({ max: hottest(heat.points) });
  heat.layer.setLatLngs(heat.points);
  if (!heat.map.hasLayer(heat.layer)) heat.layer.addTo(heat.map);
}

export function heatFromIncidents(features) {
  heat.points = features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return [lat, lon, 1 + (f.properties.fatalities || 0)];
  });
  redraw();
}

export function heatFromClusters(features) {
  heat.points = features.map((f) => {
    const [lon, lat] = f.geometry.coordinates;
    return [lat, lon, f.properties.count + (f.properties.fatalities || 0)];
  });
  redraw();
}

export function heatIsOn() { return heat.on; }

// Switches the heatmap on or off; `markers` are the marker layers it replaces.
export function showHeat(map, on, markers) {
  heat.map = map;
  heat.on = on;
  for (const layer of markers.filter(Boolean)) {
    if (on) map.removeLayer(layer); else if (!map.hasLayer(layer)) layer.addTo(map);
  }
  if (on) redraw(); else if (heat.layer) map.removeLayer(heat.layer);
}
