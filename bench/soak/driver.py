#!/usr/bin/env python3
"""Open-loop mixed load against a running `incidentmap serve` (bench/soak.sh runs it).

Requests are scheduled at a fixed rate (request i at start + i / rate, whatever the answers
before it took: open loop) and handed to a pool of worker threads, each with its own keep-alive
connection. A request's latency runs from its scheduled time to the last byte of its answer,
so time spent waiting for a free worker counts (no coordinated omission).

The mix: every kind of read (lists with bbox, time, text, CQL2, near, within, keyset cursors and
offsets; one incident; POST search; stats; export; geocode, reverse, countries; the OGC API
pages and items; the OpenAPI documents; the web page and its files), writes (POST with a unique
source_id, PUT, PATCH, DELETE of incidents this driver created) and article ingests (reports
and LGL texts, each made new by a line naming the request). A few requests whose 4xx is the
right answer (a missing id, a malformed bbox, an unknown parameter, a write without a token, a
second write of a source_id) are sent too; their status must be the expected one.

Unexpected: a status other than the expected ones (any 5xx), a timeout, a connection error,
a body that is not the JSON its type says. Prints a line a minute (requests, errors, p50, p99,
max, the server's RSS and CPU, the machine's load average) and a summary; writes
DIR/summary.json with the acknowledged writes for the store count check. Exits 1 on any unexpected answer. Python 3 standard library only.
"""

import argparse
import bisect
import collections
import http.client
import json
import math
import os
import queue
import random
import select
import sys
import threading
import time
import urllib.parse

EVENT_TYPES = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": ["Air/drone strike", "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED"],
    "Violence against civilians": ["Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": ["Agreement", "Arrests", "Looting/property destruction"],
}
# The generator's hot spots (bench/generate_incidents.cpp): lon, lat, spread in degrees.
SPOTS = [(31.0, 48.5, 3.0), (36.0, 34.5, 2.0), (32.5, 15.5, 3.0), (-1.5, 13.0, 4.0),
         (96.0, 21.0, 3.0), (34.4, 31.4, 0.3), (-74.0, 4.5, 3.0), (8.0, 10.0, 4.0),
         (28.0, -2.0, 3.0), (-99.0, 23.0, 5.0)]
WORDS = ["Synthetic", "benchmarks", "place", "Kharkiv", "missile", "market", "village",
         "police", "protest", "attack", "killed", "army"]
PLACES = ["Kharkiv", "Omdurman", "Bamako", "Kabul", "Mogadishu", "Paris", "Lagos", "Kyiv",
          "Aleppo", "Goma", "Khartoum", "Gaza", "Mandalay", "Bogota", "Culiacan"]


def pct(sorted_vals, p):
    """Nearest rank."""
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, math.ceil(p / 100.0 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    """The process's user + system time, from /proc/PID/stat."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def load_average():
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


class State:
    """What the writes left behind, shared by the workers."""

    def __init__(self, initial_max_id, rng_seed):
        self.lock = threading.Lock()
        self.initial_max_id = initial_max_id
        self.live = []  # ids this driver created and did not delete or lease
        self.live_pos = {}
        self.anchors = []  # source_ids of incidents no request deletes (for the expected 409)
        self.cursors = collections.deque(maxlen=200)
        self.serial = 0
        self.created = 0
        self.deleted = 0
        self.articles_created = 0
        self.article_incidents_created = 0
        self.article_incidents_merged = 0
        self.articles_existed = 0
        self.rng = random.Random(rng_seed)

    def next_serial(self):
        with self.lock:
            self.serial += 1
            return self.serial

    def add_live(self, iid):
        with self.lock:
            self.live_pos[iid] = len(self.live)
            self.live.append(iid)

    def lease(self):
        """Takes a created id out of the pool (a PUT, PATCH or DELETE works on it alone)."""
        with self.lock:
            if not self.live:
                return None
            k = self.rng.randrange(len(self.live))
            iid = self.live[k]
            last = self.live.pop()
            if last != iid:
                self.live[k] = last
                self.live_pos[last] = k
            del self.live_pos[iid]
            return iid

    def random_id(self):
        with self.lock:
            if self.live and self.rng.random() < 0.3:
                return self.live[self.rng.randrange(len(self.live))], False
        return self.rng.randint(1, self.initial_max_id), True


class Request:
    __slots__ = ("kind", "method", "path", "body", "headers", "expect", "check", "lease",
                 "sched")

    def __init__(self, kind, method, path, body=None, headers=None, expect=(200,), check=None,
                 lease=None):
        self.kind = kind
        self.method = method
        self.path = path
        self.body = body
        self.headers = headers or {}
        self.expect = expect
        self.check = check  # called with (status, headers, body bytes); may raise
        self.lease = lease  # an id to give back to the pool when the write failed


class Mix:
    def __init__(self, args, state):
        self.args = args
        self.state = state
        self.rng = random.Random(args.seed)
        self.rng_lock = threading.Lock()
        self.auth = {"Authorization": "Bearer " + args.token}
        self.reports = self._reports(args.reports)
        self.lgl = self._lgl(args.lgl)
        self.kinds = [
            # reads
            ("list_bbox", 10, self.list_bbox),
            ("list_time", 4, self.list_time),
            ("list_q", 4, self.list_q),
            ("list_cql2", 4, self.list_cql2),
            ("list_near", 3, self.list_near),
            ("list_within", 2, self.list_within),
            ("list_cursor", 5, self.list_cursor),
            ("list_offset", 1, self.list_offset),
            ("list_repeat", 2, self.list_repeat),
            ("get_one", 8, self.get_one),
            ("search_post", 3, self.search_post),
            ("stats", 3, self.stats),
            ("export", 1, self.export),
            ("geocode", 2, self.geocode),
            ("reverse", 1, self.reverse),
            ("countries", 1, self.countries),
            ("ogc_meta", 3, self.ogc_meta),
            ("ogc_items", 5, self.ogc_items),
            ("ogc_item", 2, self.ogc_item),
            ("openapi", 1, self.openapi),
            ("page", 2, self.page),
            # the expected 4xx
            ("expect_404", 0.5, self.expect_404),
            ("expect_400", 0.5, self.expect_400),
            ("expect_401", 0.5, self.expect_401),
            ("expect_409", 0.5, self.expect_409),
            # writes
            ("post", 7, self.post),
            ("put", 2, self.put),
            ("patch", 2, self.patch),
            ("delete", 2, self.delete),
            # article ingests
            ("article", 3, self.article),
        ]
        total = sum(w for _, w, _ in self.kinds)
        self.cum = []
        acc = 0.0
        for _, w, _ in self.kinds:
            acc += w / total
            self.cum.append(acc)

    @staticmethod
    def _reports(folder):
        out = []
        published = {}
        exp = os.path.join(folder, "expected.json")
        if os.path.exists(exp):
            for e in json.load(open(exp)):
                published[e["file"]] = e.get("published", "")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    out.append((f.read(), published.get(name, "2023-05-17")))
        return out

    @staticmethod
    def _lgl(path):
        out = []
        if path and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    j = json.loads(line)
                    if j.get("text"):
                        out.append((j["text"], (j.get("dltime") or "2009-03-20")[:10]))
        return out

    def pick(self):
        with self.rng_lock:
            x = self.rng.random()
        k = bisect.bisect_left(self.cum, x)
        return self.kinds[min(k, len(self.kinds) - 1)]

    # -- helpers ---------------------------------------------------------------------------
    def r(self):
        return self.state.rng

    def bbox(self):
        rng = self.r()
        lon, lat, spread = rng.choice(SPOTS)
        cx, cy = lon + rng.gauss(0, spread), lat + rng.gauss(0, spread)
        w = rng.uniform(0.2, 4.0)
        h = rng.uniform(0.2, 3.0)
        x0, x1 = max(-180, cx - w / 2), min(180, cx + w / 2)
        y0, y1 = max(-90, cy - h / 2), min(90, cy + h / 2)
        return [round(x0, 5), round(y0, 5), round(x1, 5), round(y1, 5)]

    def bbox_s(self):
        return ",".join(str(v) for v in self.bbox())

    def date(self, rng=None):
        rng = rng or self.r()
        return "%04d-%02d-%02d" % (rng.randint(2021, 2023), rng.randint(1, 12), rng.randint(1, 28))

    def dates(self):
        a, b = sorted([self.date(), self.date()])
        return a, b

    @staticmethod
    def q(params):
        return urllib.parse.urlencode(params, quote_via=urllib.parse.quote)

    @staticmethod
    def want_collection(status, headers, body):
        if status == 200:
            j = json.loads(body)
            if j.get("type") != "FeatureCollection" or not isinstance(j.get("features"), list):
                raise ValueError("not a FeatureCollection")
            return j
        return None

    def feature_body(self, serial, source_id):
        rng = self.r()
        lon, lat, spread = rng.choice(SPOTS)
        t = rng.choice(list(EVENT_TYPES))
        return {
            "type": "Feature",
            "geometry": {"type": "Point",
                         "coordinates": [round(max(-180, min(180, lon + rng.gauss(0, spread))), 6),
                                         round(max(-90, min(90, lat + rng.gauss(0, spread))), 6)]},
            "properties": {
                "source_id": source_id,
                "event_date": self.date(rng),
                "event_type": t,
                "sub_event_type": rng.choice(EVENT_TYPES[t]),
                "actor1": "Soak actor %d" % (serial % 50),
                "country": "XX",
                "location": "Soak place %d" % serial,
                "fatalities": rng.randint(0, 12),
                "injured": rng.randint(0, 20),
                "source": "soak",
                "notes": "Soak incident %d written by bench/soak." % serial,
                "confidence": 0.7,
            },
        }

    # -- reads -----------------------------------------------------------------------------
    def list_bbox(self):
        p = {"bbox": self.bbox_s(), "limit": self.r().choice([10, 50, 100, 200])}
        return Request("list_bbox", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def list_time(self):
        a, b = self.dates()
        p = {"since": a, "until": b, "limit": 50}
        if self.r().random() < 0.5:
            p["type"] = self.r().choice(list(EVENT_TYPES))
        if self.r().random() < 0.3:
            p["min_fatalities"] = self.r().randint(1, 5)
        if self.r().random() < 0.3:
            p["sort"] = "event_date"
        return Request("list_time", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def list_q(self):
        rng = self.r()
        word = rng.choice(WORDS) if rng.random() < 0.6 else str(rng.randint(0, 99999))
        p = {"q": word, "limit": 20}
        if rng.random() < 0.3:
            p["bbox"] = self.bbox_s()
        return Request("list_q", "GET", "/api/incidents?" + self.q(p), check=self.want_collection)

    def list_cql2(self):
        rng = self.r()
        x0, y0, x1, y1 = self.bbox()
        t = rng.choice(list(EVENT_TYPES))
        a, b = self.dates()
        f = rng.choice([
            f"fatalities > {rng.randint(0, 5)} AND S_INTERSECTS(geometry, BBOX({x0}, {y0}, {x1}, {y1}))",
            f"event_type = '{t}' AND fatalities >= {rng.randint(1, 4)}",
            f"event_date BETWEEN DATE('{a}') AND DATE('{b}') AND country = 'XX'",
            f"event_type IN ('{t}', 'Riots') AND injured < {rng.randint(1, 9)}",
        ])
        p = {"filter": f, "limit": 50}
        return Request("list_cql2", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def list_near(self):
        rng = self.r()
        lon, lat, spread = rng.choice(SPOTS)
        near = f"{round(lon + rng.gauss(0, spread), 4)},{round(lat + rng.gauss(0, spread), 4)}"
        if rng.random() < 0.5:
            p = {"near": near, "radius_km": rng.choice([10, 50, 100]), "limit": 50}
        else:
            p = {"near": near, "sort": "distance", "limit": 10}
        return Request("list_near", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def list_within(self):
        rng = self.r()
        if rng.random() < 0.3:
            p = {"within": "country:" + rng.choice(["UA", "SD", "ML", "NG", "SO"]), "limit": 50}
        else:
            x0, y0, x1, y1 = self.bbox()
            ring = [[x0, y0], [x1, y0], [(x0 + x1) / 2, y1], [x0, y0]]
            p = {"within": json.dumps({"type": "Polygon", "coordinates": [ring]}), "limit": 50}
        return Request("list_within", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def list_cursor(self):
        cur = None
        with self.state.lock:
            if self.state.cursors and self.r().random() < 0.8:
                cur = self.state.cursors.popleft()
        if cur is None:
            sort = self.r().choice(["id", "-event_date", "event_date"])
            p = {"sort": sort, "limit": self.r().choice([50, 100])}
            if self.r().random() < 0.5:
                p["bbox"] = self.bbox_s()
        else:
            p = dict(cur)

        def check(status, headers, body):
            j = self.want_collection(status, headers, body)
            if j and j.get("next_cursor"):
                nxt = {k: v for k, v in p.items() if k != "cursor"}
                nxt["cursor"] = j["next_cursor"]
                with self.state.lock:
                    self.state.cursors.append(nxt)

        return Request("list_cursor", "GET", "/api/incidents?" + self.q(p), check=check)

    def list_offset(self):
        p = {"sort": "id", "limit": 50, "offset": self.r().randint(0, 5000)}
        return Request("list_offset", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def list_repeat(self):
        # The same few queries again and again: what the response cache answers.
        p = {"limit": 5} if self.r().random() < 0.5 else {"bbox": "30,46,33,48", "limit": 100}
        return Request("list_repeat", "GET", "/api/incidents?" + self.q(p),
                       check=self.want_collection)

    def get_one(self):
        iid, initial = self.state.random_id()

        def check(status, headers, body):
            if status == 200:
                j = json.loads(body)
                if j.get("type") != "Feature" or j.get("id") != iid:
                    raise ValueError("not the Feature asked for")

        # A created id may be leased and deleted meanwhile: 404 is a right answer for those.
        return Request("get_one", "GET", f"/api/incidents/{iid}",
                       expect=(200,) if initial else (200, 404), check=check)

    def search_post(self):
        rng = self.r()
        body = {"bbox": self.bbox(), "limit": 50}
        if rng.random() < 0.5:
            body["type"] = [rng.choice(list(EVENT_TYPES))]
        if rng.random() < 0.3:
            a, b = self.dates()
            body["since"], body["until"] = a, b
        return Request("search_post", "POST", "/api/incidents/search", json.dumps(body),
                       {"Content-Type": "application/json"}, check=self.want_collection)

    def stats(self):
        rng = self.r()
        p = {"bbox": self.bbox_s()} if rng.random() < 0.7 else {"since": self.dates()[0]}

        def check(status, headers, body):
            if status == 200 and "total" not in json.loads(body):
                raise ValueError("no total")

        return Request("stats", "GET", "/api/stats?" + self.q(p), check=check)

    def export(self):
        rng = self.r()
        x0, y0, x1, y1 = self.bbox()
        box = f"{x0},{y0},{round(x0 + 0.5, 5)},{round(y0 + 0.5, 5)}"
        fmt = rng.choice(["geojson", "csv"])

        def check(status, headers, body):
            if status == 200 and fmt == "geojson":
                json.loads(body)

        return Request("export", "GET", "/api/export?" + self.q({"format": fmt, "bbox": box}),
                       check=check)

    def geocode(self):
        p = {"q": self.r().choice(PLACES), "limit": 5}
        return Request("geocode", "GET", "/api/geocode?" + self.q(p),
                       check=lambda s, h, b: json.loads(b))

    def reverse(self):
        lon, lat, spread = self.r().choice(SPOTS)
        p = {"lon": round(lon + self.r().uniform(-1, 1), 4),
             "lat": round(lat + self.r().uniform(-1, 1), 4)}
        # A point far from any place may have no answer: 404 is right for those.
        return Request("reverse", "GET", "/api/reverse?" + self.q(p), expect=(200, 404),
                       check=lambda s, h, b: json.loads(b))

    def countries(self):
        return Request("countries", "GET", "/api/countries", check=lambda s, h, b: json.loads(b))

    def ogc_meta(self):
        path = self.r().choice(["/ogc", "/ogc/conformance", "/ogc/collections",
                                "/ogc/collections/incidents",
                                "/ogc/collections/incidents/queryables"])
        return Request("ogc_meta", "GET", path, check=lambda s, h, b: json.loads(b))

    def ogc_items(self):
        rng = self.r()
        p = {"limit": rng.choice([10, 100])}
        c = rng.random()
        if c < 0.4:
            p["bbox"] = self.bbox_s()
        elif c < 0.7:
            a, b = self.dates()
            p["datetime"] = f"{a}/{b}"
        else:
            p["filter"] = f"fatalities >= {rng.randint(1, 6)} AND event_type = '{rng.choice(list(EVENT_TYPES))}'"
            p["filter-lang"] = "cql2-text"
        if rng.random() < 0.2:
            p["offset"] = rng.randint(0, 500)
        return Request("ogc_items", "GET", "/ogc/collections/incidents/items?" + self.q(p),
                       check=self.want_collection)

    def ogc_item(self):
        iid, initial = self.state.random_id()
        return Request("ogc_item", "GET", f"/ogc/collections/incidents/items/{iid}",
                       expect=(200,) if initial else (200, 404),
                       check=lambda s, h, b: json.loads(b))

    def openapi(self):
        path = self.r().choice(["/api", "/ogc/api"])
        return Request("openapi", "GET", path, check=lambda s, h, b: json.loads(b))

    def page(self):
        path = self.r().choice(["/", "/web/app.js", "/web/style.css",
                                "/vendor/leaflet/leaflet.js"])
        return Request("page", "GET", path)

    # -- expected 4xx ----------------------------------------------------------------------
    def expect_404(self):
        return Request("expect_404", "GET", "/api/incidents/999999999999", expect=(404,))

    def expect_400(self):
        path = self.r().choice(["/api/incidents?bbox=1,2,3", "/api/incidents?nonsense=1",
                                "/api/incidents?filter=fatalities%20%3E%3E%201",
                                "/ogc/collections/incidents/items?limit=abc"])
        return Request("expect_400", "GET", path, expect=(400,))

    def expect_401(self):
        serial = self.state.next_serial()
        body = json.dumps(self.feature_body(serial, f"soak-noauth-{serial}"))
        # No Authorization header at all (a wrong one would count towards the 429 lock-out).
        return Request("expect_401", "POST", "/api/incidents", body,
                       {"Content-Type": "application/geo+json"}, expect=(401,))

    def expect_409(self):
        with self.state.lock:
            sid = self.state.rng.choice(self.state.anchors) if self.state.anchors else None
        if sid is None:
            return self.expect_404()
        serial = self.state.next_serial()
        body = json.dumps(self.feature_body(serial, sid))
        return Request("expect_409", "POST", "/api/incidents", body,
                       dict(self.auth, **{"Content-Type": "application/geo+json"}), expect=(409,))

    # -- writes ----------------------------------------------------------------------------
    def post(self, anchor=False):
        serial = self.state.next_serial()
        sid = f"soak-{self.args.run_id}-{'anchor-' if anchor else ''}{serial}"
        body = json.dumps(self.feature_body(serial, sid))

        def check(status, headers, body_bytes):
            if status == 201:
                j = json.loads(body_bytes)
                iid = int(j["id"])
                with self.state.lock:
                    self.state.created += 1
                if anchor:
                    with self.state.lock:
                        self.state.anchors.append(sid)
                else:
                    self.state.add_live(iid)

        return Request("post", "POST", "/api/incidents", body,
                       dict(self.auth, **{"Content-Type": "application/geo+json"}),
                       expect=(201,), check=check)

    def _replace(self, kind):
        iid = self.state.lease()
        if iid is None:
            return self.post()
        serial = self.state.next_serial()
        if kind == "put":
            f = self.feature_body(serial, f"soak-{self.args.run_id}-put-{serial}")
            body = json.dumps(f)
            ctype = "application/geo+json"
        else:
            body = json.dumps({"properties": {"fatalities": self.r().randint(0, 30),
                                              "notes": f"Patched by soak request {serial}."}})
            ctype = "application/merge-patch+json"

        def check(status, headers, body_bytes):
            if status == 200:
                j = json.loads(body_bytes)
                if int(j["id"]) != iid:
                    raise ValueError("another incident came back")
                self.state.add_live(iid)

        return Request(kind, "PUT" if kind == "put" else "PATCH", f"/api/incidents/{iid}", body,
                       dict(self.auth, **{"Content-Type": ctype}), expect=(200,), check=check,
                       lease=iid)

    def put(self):
        return self._replace("put")

    def patch(self):
        return self._replace("patch")

    def delete(self):
        iid = self.state.lease()
        if iid is None:
            return self.post()

        def check(status, headers, body_bytes):
            if status == 204:
                with self.state.lock:
                    self.state.deleted += 1

        return Request("delete", "DELETE", f"/api/incidents/{iid}", None, dict(self.auth),
                       expect=(204,), check=check, lease=iid)

    def article(self):
        serial = self.state.next_serial()
        rng = self.r()
        if self.lgl and rng.random() < 0.5:
            text, published = rng.choice(self.lgl)
        else:
            text, published = rng.choice(self.reports)
        # A line of its own at the end makes every text new (its SHA-256 differs).
        text = text.rstrip("\n") + f"\n\nSoak reference {self.args.run_id}-{serial}.\n"
        body = {"text": text, "published": published, "source": "soak",
                "url": f"https://soak.invalid/{self.args.run_id}/{serial}",
                "title": f"Soak article {serial}"}

        def check(status, headers, body_bytes):
            j = json.loads(body_bytes)
            with self.state.lock:
                if status == 201:
                    self.state.articles_created += 1
                    self.state.article_incidents_created += int(j["created"])
                    self.state.article_incidents_merged += int(j["merged"])
                if j.get("existed"):
                    self.state.articles_existed += 1

        return Request("article", "POST", "/api/articles", json.dumps(body),
                       dict(self.auth, **{"Content-Type": "application/json"}), expect=(201,),
                       check=check)


class Worker(threading.Thread):
    def __init__(self, host, port, timeout, jobs, results, state):
        super().__init__(daemon=True)
        self.host, self.port, self.timeout = host, port, timeout
        self.jobs, self.results, self.state = jobs, results, state
        self.conn = None

    def connection(self):
        # A kept connection the server has closed meanwhile reads as ready (EOF): start anew
        # rather than send a request into it.
        if self.conn is not None and self.conn.sock is not None:
            r, _, _ = select.select([self.conn.sock], [], [], 0)
            if r:
                self.conn.close()
                self.conn = None
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def run(self):
        while True:
            job = self.jobs.get()
            if job is None:
                return
            req, sched = job
            t_send = time.monotonic()
            status, outcome, detail = None, "ok", ""
            body = b""
            try:
                conn = self.connection()
                headers = dict(req.headers)
                headers["User-Agent"] = "incidentmap-soak"
                data = req.body.encode("utf-8") if isinstance(req.body, str) else req.body
                conn.request(req.method, req.path, body=data, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                status = resp.status
                if resp.will_close:
                    conn.close()
                    self.conn = None
                if status not in req.expect:
                    outcome = "status"
                    detail = body[:300].decode("utf-8", "replace")
                elif req.check:
                    try:
                        req.check(status, resp.headers, body)
                    except Exception as e:  # a body that is not what its status says
                        outcome = "body"
                        detail = f"{type(e).__name__}: {e}; {body[:200]!r}"
            except (TimeoutError, OSError, http.client.HTTPException) as e:
                outcome = "timeout" if isinstance(e, TimeoutError) else "connection"
                detail = f"{type(e).__name__}: {e}"
                if self.conn is not None:
                    self.conn.close()
                    self.conn = None
            t_end = time.monotonic()
            # A leased id goes back to the pool only through a successful PUT or PATCH (its
            # check); after a failure its state is unknown and no further write takes it.
            self.results.put((sched, t_send, t_end, req.kind, req.method, req.path, status,
                              outcome, detail, len(body)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    ap.add_argument("--token", required=True)
    ap.add_argument("--pid", type=int, required=True, help="the server's process id (for RSS)")
    ap.add_argument("--duration", type=float, default=600)
    ap.add_argument("--rate", type=float, default=50, help="requests per second, all kinds")
    ap.add_argument("--workers", type=int, default=32)
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--reports", required=True, help="a folder of report .txt files")
    ap.add_argument("--lgl", default="", help="LGL corpus (JSON lines with text)")
    ap.add_argument("--initial-max-id", type=int, required=True,
                    help="ids 1..N exist at the start and are never deleted")
    ap.add_argument("--run-id", default=str(int(time.time())))
    ap.add_argument("--label", default="")
    ap.add_argument("--out", required=True, help="folder for requests.tsv and summary.json")
    args = ap.parse_args()

    u = urllib.parse.urlparse(args.url)
    state = State(args.initial_max_id, args.seed + 1)
    mix = Mix(args, state)
    jobs, results = queue.Queue(), queue.Queue()
    workers = [Worker(u.hostname, u.port, args.timeout, jobs, results, state)
               for _ in range(args.workers)]
    for w in workers:
        w.start()

    rss = []  # (t, KiB, the server's CPU seconds, the machine's 1-minute load average)
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            rss.append((time.monotonic(), rss_kib(args.pid), cpu_seconds(args.pid),
                        load_average()))
            stop.wait(1.0)

    # A few incidents no request deletes: their source_ids are the second writes that must
    # be refused (409). Sent before the clock starts; counted with the acknowledged writes.
    for _ in range(5):
        jobs.put((mix.post(anchor=True), time.monotonic()))
    try:
        setup_rows = [results.get(timeout=args.timeout + 5) for _ in range(5)]
    except queue.Empty:
        print("soak: no answer to the first writes", file=sys.stderr)
        return 1
    setup_errors = [r for r in setup_rows if r[7] != "ok"]
    if len(state.anchors) < 5 or setup_errors:
        print(f"soak: the first writes failed: {[r[5:9] for r in setup_rows]}", file=sys.stderr)
        return 1

    rss_start = rss_kib(args.pid)
    sampler = threading.Thread(target=sample, daemon=True)
    t0 = time.monotonic()
    sampler.start()
    n_total = int(args.duration * args.rate)
    late = 0
    for i in range(n_total):
        sched = t0 + i / args.rate
        now = time.monotonic()
        if sched > now:
            time.sleep(sched - now)
        elif now - sched > 1.0:
            late += 1  # the scheduler itself fell behind by over a second
        _, _, build = mix.pick()
        req = build()
        jobs.put((req, sched))
    for _ in workers:
        jobs.put(None)
    for w in workers:
        w.join(args.timeout + 5)
    t_done = time.monotonic()
    stop.set()
    sampler.join()
    rss_end = rss_kib(args.pid)

    rows = []
    while not results.empty():
        rows.append(results.get())
    rows.sort()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "requests.tsv"), "w") as f:
        f.write("sched_s\tqueue_ms\tlatency_ms\tkind\tmethod\tstatus\toutcome\tbytes\tpath\n")
        for sched, ts, te, kind, method, path, status, outcome, detail, nbytes in rows:
            f.write(f"{sched - t0:.3f}\t{(ts - sched) * 1000:.1f}\t{(te - sched) * 1000:.1f}\t"
                    f"{kind}\t{method}\t{status}\t{outcome}\t{nbytes}\t{path[:200]}\n")

    label = f"[soak {args.label}] " if args.label else "[soak] "
    minutes = collections.defaultdict(list)
    for row in rows:
        # + 1e-6: t0 + i / rate may round to just below a minute's start.
        minutes[int((row[0] - t0 + 1e-6) // 60)].append(row)

    def rss_at(t_end):
        vals = [k for t, k, _, _ in rss if t <= t_end and k is not None]
        return vals[-1] if vals else None

    def cpu_between(t_a, t_b):
        """The server's CPU use over [t_a, t_b), in % of one core."""
        vals = [(t, c) for t, _, c, _ in rss if t_a <= t < t_b and c is not None]
        if len(vals) < 2 or vals[-1][0] <= vals[0][0]:
            return None
        return 100.0 * (vals[-1][1] - vals[0][1]) / (vals[-1][0] - vals[0][0])

    def load_between(t_a, t_b):
        vals = [la for t, _, _, la in rss if t_a <= t < t_b and la is not None]
        return sum(vals) / len(vals) if vals else None

    per_minute = []
    print(f"{label}{'minute':>6} {'requests':>8} {'errors':>6} {'4xx ok':>6} {'p50 ms':>8} "
          f"{'p99 ms':>8} {'max ms':>8} {'RSS MiB':>8} {'CPU %':>6} {'load':>5}")
    for m in sorted(minutes):
        rs = minutes[m]
        lat = sorted((r[2] - r[0]) * 1000 for r in rs)
        errs = sum(1 for r in rs if r[7] != "ok")
        exp4 = sum(1 for r in rs if r[7] == "ok" and r[6] is not None and 400 <= r[6] < 500)
        kib = rss_at(t0 + (m + 1) * 60)
        cpu = cpu_between(t0 + m * 60, t0 + (m + 1) * 60)
        load = load_between(t0 + m * 60, t0 + (m + 1) * 60)
        pm = {"minute": m + 1, "requests": len(rs), "errors": errs, "expected_4xx": exp4,
              "p50_ms": round(pct(lat, 50), 1), "p99_ms": round(pct(lat, 99), 1),
              "max_ms": round(lat[-1], 1), "rss_kib": kib,
              "server_cpu_pct": None if cpu is None else round(cpu, 1),
              "load_average": None if load is None else round(load, 2)}
        per_minute.append(pm)
        print(f"{label}{m + 1:6d} {len(rs):8d} {errs:6d} {exp4:6d} {pm['p50_ms']:8.1f} "
              f"{pm['p99_ms']:8.1f} {pm['max_ms']:8.1f} "
              f"{(kib or 0) / 1024:8.1f} {cpu or 0:6.1f} {load or 0:5.2f}")

    lat_all = sorted((r[2] - r[0]) * 1000 for r in rows)
    svc_all = sorted((r[2] - r[1]) * 1000 for r in rows)
    errors = [r for r in rows if r[7] != "ok"]
    lost = n_total - len(rows)
    by_kind = collections.Counter(r[3] for r in rows)
    by_kind_lat = collections.defaultdict(list)
    for r in rows:
        by_kind_lat[r[3]].append((r[2] - r[0]) * 1000)
    statuses = collections.Counter(r[6] for r in rows)
    rss_vals = [k for _, k, _, _ in rss if k is not None]
    cpu_total = cpu_between(t0, t_done + 1)
    summary = {
        "label": args.label,
        "duration_s": args.duration,
        "rate": args.rate,
        "elapsed_s": round(t_done - t0, 1),
        "requests": len(rows),
        "scheduled": n_total,
        "unanswered": lost,
        "scheduler_late": late,
        "errors": len(errors),
        "expected_4xx": sum(1 for r in rows if r[7] == "ok" and r[6] and 400 <= r[6] < 500),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
        "p50_ms": round(pct(lat_all, 50), 1),
        "p99_ms": round(pct(lat_all, 99), 1),
        "max_ms": round(lat_all[-1], 1) if lat_all else None,
        "service_p99_ms": round(pct(svc_all, 99), 1),
        "worst_minute_p99_ms": max((pm["p99_ms"] for pm in per_minute), default=None),
        "worst_minute_p50_ms": max((pm["p50_ms"] for pm in per_minute), default=None),
        "rss_start_kib": rss_start,
        "rss_end_kib": rss_end,
        "rss_max_kib": max(rss_vals) if rss_vals else None,
        "server_cpu_pct": None if cpu_total is None else round(cpu_total, 1),
        "by_kind": {k: {"n": by_kind[k],
                        "p50_ms": round(pct(sorted(by_kind_lat[k]), 50), 1),
                        "p99_ms": round(pct(sorted(by_kind_lat[k]), 99), 1)}
                    for k in sorted(by_kind)},
        "acknowledged": {"incidents_created": state.created,
                         "incidents_deleted": state.deleted,
                         "articles_created": state.articles_created,
                         "article_incidents_created": state.article_incidents_created,
                         "article_incidents_merged": state.article_incidents_merged},
        "per_minute": per_minute,
        "first_errors": [{"t_s": round(r[0] - t0, 3), "kind": r[3], "method": r[4],
                          "path": r[5][:300], "status": r[6], "outcome": r[7],
                          "detail": r[8]} for r in errors[:50]],
    }
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    a = summary["acknowledged"]
    print(f"{label}requests {len(rows)} of {n_total} scheduled, errors {len(errors)}, "
          f"expected 4xx {summary['expected_4xx']}, p50 {summary['p50_ms']} ms, "
          f"p99 {summary['p99_ms']} ms (worst minute {summary['worst_minute_p99_ms']} ms), "
          f"max {summary['max_ms']} ms")
    print(f"{label}server RSS start {(rss_start or 0) / 1024:.1f} MiB, end "
          f"{(rss_end or 0) / 1024:.1f} MiB, max {(summary['rss_max_kib'] or 0) / 1024:.1f} MiB; "
          f"server CPU {summary['server_cpu_pct']} % of one core")
    print(f"{label}acknowledged: {a['incidents_created']} incidents created, "
          f"{a['incidents_deleted']} deleted, {a['articles_created']} articles "
          f"({a['article_incidents_created']} incidents created, "
          f"{a['article_incidents_merged']} merged)")
    for e in summary["first_errors"][:10]:
        print(f"{label}ERROR t={e['t_s']}s {e['method']} {e['path'][:120]} -> {e['status']} "
              f"{e['outcome']}: {e['detail'][:200]}", file=sys.stderr)
    return 1 if errors or lost else 0


if __name__ == "__main__":
    sys.exit(main())
