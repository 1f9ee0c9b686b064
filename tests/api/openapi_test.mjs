// Validates the OpenAPI document the binary serves at /api (printed by `incidentmap openapi`)
// against the OpenAPI 3.0 schema, and checks that it describes every endpoint.
import { execFileSync } from 'node:child_process';
import SwaggerParser from '@apidevtools/swagger-parser';

const bin = process.env.INCIDENTMAP_BIN;
if (!bin) {
  console.error('INCIDENTMAP_BIN is not set');
  process.exit(2);
}
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  if (ok) { passed++; } else { failed++; console.error(`FAILED: ${what}`); }
};
const doc = JSON.parse(execFileSync(bin, ['openapi', '--server', 'http://127.0.0.1:8080'], { encoding: 'utf8' }));
try {
  await SwaggerParser.validate(structuredClone(doc));
  check(true, 'valid OpenAPI 3.0');
} catch (e) {
  check(false, `valid OpenAPI 3.0: ${e.message}`);
}
check(doc.openapi === '3.0.3', 'openapi version 3.0.3');
for (const [path, methods] of Object.entries({
  '/api/incidents': ['get', 'post'], '/api/incidents/search': ['post'],
  '/api/incidents/{id}': ['get', 'put', 'patch', 'delete'], '/api/export': ['get'],
  '/api/articles': ['post'], '/api/geocode': ['get'], '/api/reverse': ['get'], '/api/stats': ['get'],
  '/ogc': ['get'], '/ogc/conformance': ['get'], '/ogc/collections': ['get'],
  '/ogc/collections/incidents': ['get'], '/ogc/collections/incidents/items': ['get', 'post'],
  '/ogc/collections/incidents/items/{featureId}': ['get', 'put', 'delete'],
})) {
  for (const m of methods) check(doc.paths?.[path]?.[m], `${m.toUpperCase()} ${path} is described`);
}
const listParams = doc.paths['/api/incidents'].get.parameters.map((p) => p.name).sort();
check(JSON.stringify(listParams) === JSON.stringify(['bbox', 'cursor', 'filter', 'filter-crs', 'filter-lang', 'limit', 'min_fatalities', 'near', 'offset', 'q', 'radius_km', 'since', 'sort', 'sub_type', 'type', 'until', 'within']),
  `GET /api/incidents parameters: ${listParams}`);
// The OGC API's own definition (served at /ogc/api): paths relative to /ogc, where GDAL's
// OAPIF driver looks for the filter parameters.
const ogc = JSON.parse(execFileSync(bin, ['openapi', '--ogc', '--server', 'http://127.0.0.1:8080'], { encoding: 'utf8' }));
try {
  await SwaggerParser.validate(structuredClone(ogc));
  check(true, 'OGC API definition is valid OpenAPI 3.0');
} catch (e) {
  check(false, `OGC API definition is valid OpenAPI 3.0: ${e.message}`);
}
check(ogc.servers?.[0]?.url === 'http://127.0.0.1:8080/ogc', 'OGC API server is /ogc');
for (const path of ['/', '/conformance', '/collections', '/collections/incidents', '/collections/incidents/items',
  '/collections/incidents/queryables', '/collections/incidents/items/{featureId}']) {
  check(ogc.paths?.[path]?.get, `OGC API describes GET ${path}`);
}
const itemParams = ogc.paths['/collections/incidents/items'].get.parameters.map((p) => p.name);
for (const p of ['bbox', 'datetime', 'limit', 'filter', 'filter-lang', 'filter-crs', 'fatalities', 'event_type']) {
  check(itemParams.includes(p), `items take ${p}`);
}
check(!Object.keys(ogc.paths).some((p) => p.startsWith('/api/')), 'the OGC API definition holds only OGC paths');
console.log(`openapi: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
