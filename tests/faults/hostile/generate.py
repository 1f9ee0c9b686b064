#!/usr/bin/env python3
"""Writes corpus.jsonl and tokens.jsonl, the generated part of the hostile HTTP corpus.

Run it from anywhere: `python3 tests/faults/hostile/generate.py`; it rewrites both beside
itself, deterministically (no randomness), so a diff shows what a change of it added.
tokens.jsonl holds the requests with wrong tokens: after ten a minute the server answers the
address 429, so the runner reads them last (it reads the files in the order of their names).
Entries for bugs found go to found.jsonl by hand, never here: that file only grows, each entry
with a `bug` note (what was wrong).

One entry a line, a JSON object (the format the runner, tests/faults/hostile_http_test.cpp,
reads; tests/faults/README.md describes it):
  cat      the category (method, head, size, params, value, encoding, cql2, vertices, cursor,
           content_type, json, injection, traversal, auth)
  why      what the entry tries, in a few words
  raw      the exact bytes sent; or method, target, version (default HTTP/1.1), headers
           ([name, value] or [name, value, times]), body: the runner adds Host, Connection:
           close and Content-Length (unless a header of the entry sets framing, or no_length)
  auth     "token" adds the test server's write token, "wrong" a wrong one
  expect   the status (a number, or a list of the statuses allowed); absent: any below 500
  allow    for a 405, the Allow header expected
  detail   a text the answer must contain (the limit its problem names)
  detail_absent  a text the answer must not contain
  may_close  the server may close the connection without an answer (a head that never ends)
Strings are bytes: each character U+0000..U+00FF is one byte (so invalid UTF-8 and NUL can be
written). A string field may also be a list of pieces, each a string or [string, times].
"""

import json
import os

CORPUS = []
TOKENS = []  # the entries with wrong tokens, written to tokens.jsonl
OUT = CORPUS  # where add() and raw() put entries

TOKEN = "integration-test-token-0123456789"


def add(cat, why, **entry):
    """One request from its parts."""
    OUT.append({"cat": cat, "why": why, **entry})


def raw(cat, why, data, **entry):
    """One request sent byte for byte."""
    OUT.append({"cat": cat, "why": why, "raw": data, **entry})


def u8(text):
    """A text as the bytes of its UTF-8 encoding (the corpus's strings are bytes)."""
    return text.encode("utf-8").decode("latin-1")


def rep(piece, times):
    return [piece, times]


def pct(text):
    """A text as UTF-8, every byte that is not unreserved (RFC 3986) percent-encoded."""
    out = []
    for b in text.encode("utf-8"):
        ch = chr(b)
        out.append(ch if ch.isascii() and (ch.isalnum() or ch in "-._~") else "%%%02X" % b)
    return "".join(out)


JSON = [["Content-Type", "application/json"]]

# ---------------------------------------------------------------------------------------------
# The routes: a concrete path of each, and the methods it takes (api/src/routes/*.cpp).

ROUTES = [
    ("/", ["GET"]),
    ("/web/app.js", ["GET"]),
    ("/web/style.css", ["GET"]),
    ("/vendor/leaflet/leaflet.js", ["GET"]),
    ("/vendor/leaflet/images/marker-icon.png", ["GET"]),
    ("/vendor/markercluster/MarkerCluster.css", ["GET"]),
    ("/api", ["GET"]),
    ("/api/incidents", ["GET", "POST"]),
    ("/api/incidents/1", ["GET", "PUT", "PATCH", "DELETE"]),
    ("/api/incidents/search", ["POST"]),
    ("/api/export", ["GET"]),
    ("/api/stats", ["GET"]),
    ("/api/articles", ["POST"]),
    ("/api/geocode", ["GET"]),
    ("/api/reverse", ["GET"]),
    ("/api/countries", ["GET"]),
    ("/ogc", ["GET"]),
    ("/ogc/api", ["GET"]),
    ("/ogc/conformance", ["GET"]),
    ("/ogc/collections", ["GET"]),
    ("/ogc/collections/incidents", ["GET"]),
    ("/ogc/collections/incidents/queryables", ["GET"]),
    ("/ogc/collections/incidents/items", ["GET", "POST"]),
    ("/ogc/collections/incidents/items/1", ["GET", "PUT", "DELETE"]),
]

ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def allow_of(methods):
    have = set(methods) | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())
    return ", ".join(m for m in ORDER if m in have)


def methods():
    for path, taken in ROUTES:
        allow = allow_of(taken)
        for m in ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "TRACE"]:
            if m in taken or (m == "HEAD" and "GET" in taken):
                continue
            body = "{}" if m in ("POST", "PUT", "PATCH") else None
            extra = {"body": body, "headers": JSON} if body else {}
            # The library refuses TRACE as it reads the request line (400): no echo either way.
            add("method", f"{m} on {path}, which takes {'/'.join(taken)}: 405 with Allow",
                method=m, target=path, expect=[400, 405] if m == "TRACE" else 405, allow=allow,
                **extra)
        add("method", f"OPTIONS on {path}: 204 and the methods it takes", method="OPTIONS",
            target=path, expect=204, allow=allow)
    for m in ["GET", "POST", "PUT", "DELETE", "OPTIONS"]:
        add("method", f"{m} on a path no route has: 404, not 405", method=m,
            target="/api/nothing-here", expect=404)
        add("method", f"{m} on an id that is not a number: no route, 404", method=m,
            target="/api/incidents/abc", expect=404)
    add("method", "an id of 19 digits matches no route (ids are at most 18)", method="GET",
        target="/api/incidents/1234567890123456789", expect=404)
    add("method", "a negative id matches no route", method="DELETE", target="/api/incidents/-1",
        expect=404)
    for m in ["FOO", "get", "Get", "GETT", "G", "BREW", "PROPFIND", "MKCOL", "LINK", "PURGE",
              "SEARCH", "QUERY", "M-SEARCH", "PRI", [rep("X", 300)]]:
        name = m if isinstance(m, str) else "X*300"
        add("method", f"an unknown method {name}: refused with a 4xx", method=m,
            target="/api/incidents", expect=[400, 405])
    add("method", "CONNECT with an authority target (a proxy request): refused",
        raw="CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        expect=[400, 404, 405])
    add("method", "TRACE on the collection: refused, no echo of the request", method="TRACE",
        target="/api/incidents", headers=[["X-Echo", "secret"]], expect=[400, 405],
        detail_absent="secret")
    add("method", "OPTIONS * (the server as a whole)", raw="OPTIONS * HTTP/1.1\r\nHost: t\r\n"
        "Connection: close\r\n\r\n", expect=[200, 204, 400, 404])
    add("method", "X-HTTP-Method-Override does not turn a GET into a DELETE", method="GET",
        target="/api/incidents/1", headers=[["X-HTTP-Method-Override", "DELETE"]], expect=200)
    add("method", "HEAD on a listing: headers, no body", method="HEAD",
        target="/api/incidents?limit=1", expect=200)


# ---------------------------------------------------------------------------------------------
# Malformed request heads, on a raw socket.

def head(line, *headers):
    return line + "\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"


def heads():
    bad_lines = [
        ("GET /api/incidents", "a request line without a version"),
        ("GET /api/incidents HTTP/1.1 extra", "a fourth word in the request line"),
        ("GET  /api/incidents HTTP/1.1", "two spaces after the method"),
        ("GET /api/incidents  HTTP/1.1", "two spaces before the version"),
        (" GET /api/incidents HTTP/1.1", "a space before the method"),
        ("GET\t/api/incidents\tHTTP/1.1", "tabs between the words"),
        ("GET /api/incidents HTTP/2.0", "HTTP/2.0 in an HTTP/1 request line"),
        ("GET /api/incidents HTTP/1.2", "a minor version that does not exist"),
        ("GET /api/incidents HTTP/3.0", "HTTP/3.0 over TCP"),
        ("GET /api/incidents HTTP/0.9", "HTTP/0.9 named in a request line"),
        ("GET /api/incidents http/1.1", "the version in lower case"),
        ("GET /api/incidents HTTP/1.10", "a version with two minor digits"),
        ("GET /api/incidents HTTP/01.1", "a version with a leading zero"),
        ("GET /api/incidents HTTP/", "a version without numbers"),
        ("GET /api/incidents HTTX/1.1", "not HTTP at all"),
        ("GET /api/incidents HTTP/1.1 ", "a space after the version"),
        ("GET api/incidents HTTP/1.1", "a relative target without its slash"),
        ("GET ?limit=1 HTTP/1.1", "a target that is only a query"),
        ("GET # HTTP/1.1", "a target that is only a fragment"),
        ("GET /api/incidents#frag HTTP/1.1", "a fragment in the target"),
        ("GET http://evil.example/api/incidents HTTP/1.1", "an absolute-form target"),
        ("GET //api/incidents HTTP/1.1", "a target starting with two slashes"),
        ("GET * HTTP/1.1", "an asterisk target on GET"),
        ("GET \x00/api HTTP/1.1", "a NUL byte in the target"),
        ("GET /api\x7f HTTP/1.1", "a DEL byte in the target"),
        ("GET /api/incidents?limit=1\x00 HTTP/1.1", "a NUL byte in the query"),
        ("GET /api/incidents HTTP/1.1\x00", "a NUL after the version"),
        ("\x00\x00\x00\x00", "four NUL bytes as a request line"),
        ("GET", "a method alone"),
        ("", "an empty request line"),
        ("GET /" + "x" * 9000 + " HTTP/1.1", "a request line over 8 KB"),
        ("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", "a TLS ClientHello on the plain port"),
        ("SSH-2.0-OpenSSH_9.0", "an SSH greeting"),
        ("\xef\xbb\xbfGET /api/incidents HTTP/1.1", "a UTF-8 byte order mark before the method"),
        ("GET /api/incidents HTTP/1.1\r", "a CR doubled at the end of the line"),
        ("G\x80T /api HTTP/1.1", "a byte over 0x7f in the method"),
    ]
    # The library reads request lines leniently where that is harmless (extra spaces, a
    # fragment): those may be served.
    lenient = {"two spaces after the method", "two spaces before the version",
               "a space before the method", "a space after the version",
               "a fragment in the target"}
    for line, why in bad_lines:
        raw("head", why + ": refused, or the connection closed",
            head(line, "Host: t", "Connection: close"),
            expect=[200, 400] if why in lenient else [400, 404, 405, 414], may_close=True)
    raw("head", "HTTP/0.9 simple request (no version, no headers)", "GET /\r\n",
        expect=[400], may_close=True)
    raw("head", "only the blank line", "\r\n\r\n", may_close=True, expect=[400])
    raw("head", "blank lines before a good request (RFC 9112 lets a server skip one)",
        "\r\n\r\n" + head("GET /api/incidents?limit=1 HTTP/1.1", "Host: t", "Connection: close"),
        expect=[200, 400], may_close=True)
    raw("head", "random binary", "".join(chr((i * 73 + 41) % 256) for i in range(600)),
        may_close=True, expect=[400, 414])
    raw("head", "a head that never ends, then the client stops sending",
        "GET /api/incidents HTTP/1.1\r\nHost: t\r\nX-A: b", may_close=True, expect=[400])
    raw("head", "HTTP/2 connection preface on an HTTP/1 server",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", may_close=True, expect=[400, 404, 405])

    good = "GET /api/incidents?limit=1 HTTP/1.1"
    bad_headers = [
        ("X-No-Colon", "a header line without a colon"),
        ("X-Space : value", "white space before the colon (RFC 9112: must be refused)"),
        (": value", "a header with no name"),
        (" X-Folded: a", "a header line that begins with a space (obsolete folding)"),
        ("X-A: a\r\n\tfolded", "a folded continuation line"),
        ("X-\x00: v", "a NUL byte in a header name"),
        ("X-A: a\x00b", "a NUL byte in a header value"),
        ("X-A: \x01\x02\x03", "control characters in a header value"),
        ("X-\xc3\xa9: v", "a non-ASCII header name"),
        ("X-A: \xff\xfe", "bytes that are not UTF-8 in a header value"),
        ("X-A: " + "\xc3" * 50, "truncated UTF-8 sequences in a header value"),
        ("X(A): v", "separators in a header name"),
        ("X-A:" + "a" * 9000, "one header value over 8 KB"),
        ("X-" + "a" * 9000 + ": v", "one header name over 8 KB"),
        ("Host: t\r\nHost: u", "two Host headers"),
        ("Host:", "an empty Host header besides a good one"),
        ("Host: " + "h" * 5000, "a 5,000-byte Host (links are made from it)"),
        ("Host: evil\"><script>alert(1)</script>", "markup in the Host header"),
        ("Host: a\r\nX-Forwarded-Host: evil", "X-Forwarded-Host is not trusted"),
        ("Accept: */*;q=" + "9" * 400, "an Accept header with a huge quality"),
        ("Accept-Encoding: " + "gzip, " * 800, "a long Accept-Encoding"),
        ("Accept-Encoding: gzip;q=NaN, br;q=-1, deflate;q=1e999", "bad quality values"),
        ("If-None-Match: " + "\"x\", " * 1000, "a thousand ETags in If-None-Match"),
        ("If-None-Match: *", "If-None-Match: * on a listing"),
        ("If-Modified-Since: yesterday", "a date that is no date"),
        ("Range: bytes=0-0" + ",0-0" * 500, "500 overlapping ranges"),
        ("Range: bytes=-1", "the last byte only"),
        ("Range: bytes=99999999999999999999-", "a range start that overflows 64 bits"),
        ("Range: bytes=5-1", "a range that ends before it starts"),
        ("Range: bytes=abc", "a range that is no number"),
        ("Range: lines=1-2", "a range unit that does not exist"),
        ("Range: bytes=" + ",".join("%d-%d" % (i, i) for i in range(1000)), "1,000 ranges"),
        ("Expect: 100-continue", "Expect: 100-continue on a GET"),
        ("Expect: 200-ok", "an expectation no server meets"),
        ("Connection: Upgrade\r\nUpgrade: websocket", "a WebSocket upgrade"),
        ("Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQ",
         "an h2c upgrade"),
        ("Connection: " + "keep-alive, " * 500, "a long Connection header"),
        ("Cookie: " + "a=b; " * 1500, "a 7 KB Cookie header"),
        ("Authorization: Bearer " + "t" * 8000, "an 8 KB bearer token on a read"),
        ("X-Forwarded-For: " + ", ".join(["1.2.3.4"] * 600), "a long X-Forwarded-For"),
        ("Content-Type: application/json", "a Content-Type on a GET without a body"),
        ("Transfer-Encoding: identity", "Transfer-Encoding identity on a GET"),
        ("Content-Length: 0", "Content-Length 0 on a GET"),
        ("Max-Forwards: -1", "a negative Max-Forwards"),
        ("Accept: application/xml", "asks for XML, which no route serves"),
    ]
    for h, why in bad_headers:
        raw("head", why, head(good, "Host: t", h, "Connection: close"),
            expect=[200, 206, 304, 400, 406, 412, 413, 416, 417, 431], may_close=True)
    for count in [100, 1000, 5000, 20000]:
        raw("head", f"{count} headers in one request",
            [good + "\r\nHost: t\r\nConnection: close\r\n", rep("X-N: v\r\n", count), "\r\n"],
            expect=[200, 400, 413, 431], may_close=True)
    raw("head", "a head of 100 KB in 1,000-byte headers",
        [good + "\r\nHost: t\r\nConnection: close\r\n", rep("X-L: " + "v" * 995 + "\r\n", 100),
         "\r\n"], expect=[400, 413, 431], may_close=True)
    raw("head", "bare LF line endings", good + "\nHost: t\nConnection: close\n\n",
        expect=[200, 400], may_close=True)
    raw("head", "bare CR line endings", good + "\rHost: t\rConnection: close\r\r",
        expect=[400], may_close=True)
    raw("head", "CRLF and LF mixed", good + "\r\nHost: t\nConnection: close\r\n\n",
        expect=[200, 400], may_close=True)
    raw("head", "HTTP/1.1 without Host", head(good, "Connection: close"), expect=[200, 400])
    raw("head", "HTTP/1.0 without Host or Connection", head("GET /api/incidents?limit=1 HTTP/1.0"),
        expect=[200])
    raw("head", "two requests in one packet (pipelining): both answered",
        head(good, "Host: t") + head(good, "Host: t", "Connection: close"), expect=[200])
    raw("head", "a good request followed by garbage", head(good, "Host: t") + "\x00\xff garbage",
        expect=[200], may_close=True)
    framing(good)


def framing(good):
    """Content-Length and Transfer-Encoding, alone, together, wrong."""
    post = "POST /api/incidents/search HTTP/1.1"
    base = ["Host: t", "Connection: close", "Content-Type: application/json"]
    body = '{"limit":1}'
    cases = [
        (["Content-Length: 11", "Content-Length: 11"], body, "Content-Length given twice, equal"),
        (["Content-Length: 11", "Content-Length: 12"], body,
         "Content-Length given twice, different (a smuggling vector)"),
        (["Content-Length: 11, 11"], body, "a list of equal lengths"),
        (["Content-Length: -1"], body, "a negative Content-Length"),
        (["Content-Length: +11"], body, "a Content-Length with a plus sign"),
        (["Content-Length: 0x0b"], body, "a hexadecimal Content-Length"),
        (["Content-Length: 11.0"], body, "a Content-Length with a fraction"),
        (["Content-Length: 1 1"], body, "a Content-Length with a space inside"),
        (["Content-Length: abc"], body, "a Content-Length that is no number"),
        (["Content-Length: "], body, "an empty Content-Length"),
        (["Content-Length: 99999999999999999999999"], body, "a length that overflows 64 bits"),
        (["Content-Length: 18446744073709551615"], body, "the largest 64-bit length"),
        (["Content-Length: 18446744073709551616"], body, "one over the largest 64-bit length"),
        (["Content-Length: 9223372036854775808"], body, "one over the largest signed length"),
        (["Content-Length: 1000000000"], body, "a 1 GB length, 11 bytes sent"),
        (["Content-Length: 100"], body, "a length longer than the body, then the client stops"),
        (["Content-Length: 5"], body, "a length shorter than the body (the rest is a new "
                                       "request, which is garbage)"),
        (["Content-Length: 0"], body, "length 0 with a body behind it"),
        (["Transfer-Encoding: chunked"], "b\r\n" + body + "\r\n0\r\n\r\n", "a good chunked body"),
        (["Transfer-Encoding: chunked"], "zz\r\n" + body + "\r\n0\r\n\r\n", "a chunk size that "
                                                                            "is not hex"),
        (["Transfer-Encoding: chunked"], "-b\r\n" + body + "\r\n0\r\n\r\n", "a negative chunk "
                                                                            "size"),
        (["Transfer-Encoding: chunked"], "ffffffffffffffffff\r\n" + body + "\r\n0\r\n\r\n",
         "a chunk size that overflows 64 bits"),
        (["Transfer-Encoding: chunked"], "7fffffffffffffff\r\n" + body + "\r\n0\r\n\r\n",
         "a chunk size of 2^63-1"),
        (["Transfer-Encoding: chunked"], "100000000\r\n" + body, "a 4 GB chunk, 11 bytes sent"),
        (["Transfer-Encoding: chunked"], "b;ext=1;" + "e" * 5000 + "\r\n" + body + "\r\n0\r\n\r\n",
         "a chunk extension of 5 KB"),
        (["Transfer-Encoding: chunked"], "b\r\n" + body + "0\r\n\r\n", "no CRLF after a chunk"),
        (["Transfer-Encoding: chunked"], "b\r\n" + body + "\r\n", "no last chunk, then EOF"),
        (["Transfer-Encoding: chunked"], "b\n" + body + "\n0\n\n", "chunks with bare LF"),
        (["Transfer-Encoding: chunked"], " b\r\n" + body + "\r\n0\r\n\r\n", "a space before the "
                                                                            "chunk size"),
        (["Transfer-Encoding: chunked"], "0\r\nX-Trailer: a\r\n\r\n", "a trailer, no data"),
        (["Transfer-Encoding: chunked"], "1\r\n{\r\n" * 3000 + "0\r\n\r\n", "3,000 one-byte "
                                                                           "chunks of '{'"),
        (["Transfer-Encoding: chunked"], "", "chunked, nothing sent"),
        (["Transfer-Encoding: chunked", "Content-Length: 11"], "b\r\n" + body + "\r\n0\r\n\r\n",
         "both Transfer-Encoding and Content-Length (smuggling)"),
        (["Content-Length: 11", "Transfer-Encoding: chunked"], "b\r\n" + body + "\r\n0\r\n\r\n",
         "Content-Length before Transfer-Encoding (smuggling)"),
        (["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"],
         "b\r\n" + body + "\r\n0\r\n\r\n", "chunked twice"),
        (["Transfer-Encoding: gzip, chunked"], "b\r\n" + body + "\r\n0\r\n\r\n",
         "gzip transfer coding"),
        (["Transfer-Encoding: chunked, gzip"], body, "chunked not last"),
        (["Transfer-Encoding: xchunked"], body, "an unknown transfer coding"),
        (["Transfer-Encoding:  chunked "], "b\r\n" + body + "\r\n0\r\n\r\n", "chunked with "
                                                                            "white space"),
        (["Transfer-Encoding: CHUNKED"], "b\r\n" + body + "\r\n0\r\n\r\n", "CHUNKED in capitals"),
        (["Transfer-Encoding\x0b: chunked"], "b\r\n" + body + "\r\n0\r\n\r\n",
         "a vertical tab in the header name"),
        (["Content-Encoding: gzip", "Content-Length: 11"], body, "a body declared gzip that "
                                                                 "is not"),
        (["Content-Encoding: gzip", "Content-Length: 20"],
         "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + "\xff" * 10, "a broken gzip stream"),
        (["Content-Encoding: br", "Content-Length: 11"], body, "a body declared brotli that "
                                                               "is not"),
        (["Content-Encoding: deflate", "Content-Length: 11"], body, "a body declared deflate"),
        (["Content-Encoding: compress", "Content-Length: 11"], body, "an unknown content "
                                                                     "coding"),
        ([], body, "a body with no length at all (the body is read as the next request)"),
    ]
    for headers, sent, why in cases:
        raw("head", why, head(post, *(base + headers)) + sent,
            expect=[200, 400, 411, 413, 415], may_close=True)
    # A gzip bomb: 8 MiB of zeros compress to 8 KB; the server must not inflate past its limit.
    add("size", "a request body of 64 MB announced in 2 KB of garbage gzip", method="POST",
        target="/api/incidents/search",
        headers=[["Content-Type", "application/json"], ["Content-Encoding", "gzip"]],
        body=["\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", rep("\x00", 2000)],
        expect=[400, 413, 415])


# ---------------------------------------------------------------------------------------------
# Sizes.

def sizes():
    for n in [8100, 8192, 8193, 9000, 16384, 65536, 100000, 1000000]:
        add("size", f"a URL of {n} bytes", method="GET", target=["/api/incidents?q=",
            rep("a", n - len("/api/incidents?q="))], expect=[400, 414])
    add("size", "a path of 8,000 bytes under the static files (a regex matches it)",
        method="GET", target=["/vendor/leaflet/", rep("a", 8000)], expect=[404, 414])
    add("size", "a path of 8,000 slashes under the static files",
        method="GET", target=["/vendor/leaflet/", rep("/", 8000)], expect=[400, 404, 414])
    add("size", "a path of 8,000 bytes under /web", method="GET",
        target=["/web/", rep("a", 8000)], expect=[404, 414])
    add("size", "a path of 8,000 digits as an incident id", method="GET",
        target=["/api/incidents/", rep("1", 8000)], expect=[404, 414])
    add("size", "a path of 4,000 '../'", method="GET", target=["/web/", rep("../", 2600)],
        expect=[400, 404, 414])
    for n, st in [(8 * 1024 * 1024 + 1, 413), (9 * 1024 * 1024, 413), (50 * 1000 * 1000, 413)]:
        add("size", f"a body of {n} bytes (the limit is 8 MiB)", method="POST",
            target="/api/incidents/search", headers=JSON, body=[rep("a", n)], expect=st)
    add("size", "a 50 MB write body with a token", method="POST", target="/api/incidents",
        headers=JSON, auth="token", body=[rep(" ", 50 * 1000 * 1000)], expect=413)
    add("size", "a 50 MB article without a token", method="POST", target="/api/articles",
        headers=JSON, body=[rep("x", 50 * 1000 * 1000)], expect=[401, 413])
    add("size", "a chunked body over 8 MiB", raw=[
        "POST /api/incidents/search HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        rep("1000\r\n" + " " * 0x1000 + "\r\n", 2100), "0\r\n\r\n"], expect=[400, 413],
        may_close=True)
    add("size", "a body of 8 MiB of white space around {} (within the limit)", method="POST",
        target="/api/incidents/search", headers=JSON,
        body=["{", rep(" ", 8 * 1024 * 1024 - 10), "}"], expect=200)
    add("size", "a search body with a 7 MB string", method="POST", target="/api/incidents/search",
        headers=JSON, body=['{"q":"', rep("a", 7000000), '"}'], expect=400)
    add("size", "an article of 7 MB of text without a token", method="POST",
        target="/api/articles", headers=JSON, body=['{"text":"', rep("a ", 3500000), '"}'],
        expect=401)
    add("size", "q of 501 bytes (the limit is 500)", method="GET",
        target="/api/incidents?q=" + "a" * 501, expect=400, detail="at most 500")
    add("size", "q of 500 bytes (at the limit)", method="GET",
        target="/api/incidents?q=" + "a" * 500, expect=200)
    add("size", "a cursor of 65 bytes (the limit is 64)", method="GET",
        target="/api/incidents?cursor=d_2022-01-01_" + "1" * 51, expect=400)
    add("size", "a search body with 100,000 members", method="POST",
        target="/api/incidents/search", headers=JSON,
        body=['{"limit":1', rep(',"limit":1', 99999), "}"], expect=[200, 400])
    add("size", "a search body with one key of 1 MB", method="POST",
        target="/api/incidents/search", headers=JSON, body=['{"', rep("k", 1000000), '":1}'],
        expect=400)
    add("size", "a feature with 1 MB of notes, with a token", method="POST",
        target="/api/incidents", headers=JSON, auth="token",
        body=['{"type":"Feature","geometry":{"type":"Point","coordinates":[31.99,46.97]},'
              '"properties":{"event_date":"2022-03-29","event_type":"Battles","country":"UA",'
              '"location":"Mykolayiv","notes":"', rep("n", 1000000), '"}}'], expect=[201, 400])
    add("size", "geocode q of 7,000 bytes", method="GET",
        target=["/api/geocode?q=", rep("a", 7000)], expect=[200, 400])


# ---------------------------------------------------------------------------------------------
# Parameters: counts, repeats, unknown names, empty names.

LISTINGS = ["/api/incidents", "/api/stats", "/api/export", "/ogc/collections/incidents/items"]
NO_PARAMS = ["/api/countries", "/api/incidents/1", "/ogc/collections/incidents/items/1"]
F_ONLY = ["/api", "/ogc", "/ogc/api", "/ogc/conformance", "/ogc/collections",
          "/ogc/collections/incidents", "/ogc/collections/incidents/queryables"]


def params():
    every = LISTINGS + NO_PARAMS + F_ONLY + ["/api/geocode?q=Kyiv", "/api/reverse?lon=30&lat=50"]
    for path in every:
        sep = "&" if "?" in path else "?"
        add("params", f"an unknown parameter on {path}", method="GET",
            target=path + sep + "nosuch=1", expect=400, detail="unknown query parameter")
        add("params", f"an unknown parameter with SQL in its name on {path}", method="GET",
            target=path + sep + pct("1'; DROP TABLE incidents;--") + "=1", expect=400)
    for path in ["/api/incidents", "/api/stats", "/api/export"]:
        for p, v in [("bbox", "30,46,33,48"), ("limit", "1"), ("q", "Kyiv"), ("since",
                     "2022-01-01"), ("type", "Battles"), ("filter", "fatalities>0")]:
            if path != "/api/incidents" and p == "limit":
                continue
            # The library keeps one of two equal pairs; two values are refused.
            add("params", f"{p} given twice, equal, on {path}", method="GET",
                target=f"{path}?{p}={v}&{p}={v}", expect=200)
            add("params", f"{p} given twice, different, on {path}", method="GET",
                target=f"{path}?{p}={v}&{p}={v}0", expect=400, detail="more than once")
    add("params", "limit twice on the OGC items", method="GET",
        target="/ogc/collections/incidents/items?limit=1&limit=2", expect=400)
    for n in [100, 1000, 2000]:
        add("params", f"{n} repeats of one parameter, equal", method="GET",
            target="/api/incidents?" + "&".join(["limit=1"] * n), expect=[200, 414])
        add("params", f"{n} repeats of one parameter, different", method="GET",
            target="/api/incidents?" + "&".join("limit=%d" % (i % 9 + 1) for i in range(n)),
            expect=[400, 414])
        add("params", f"{n} distinct unknown parameters", method="GET",
            target="/api/incidents?" + "&".join("p%d=1" % i for i in range(n)), expect=[400, 414])
    add("params", "4,000 bare ampersands", method="GET",
        target="/api/incidents?" + "&" * 4000, expect=[200, 400])
    add("params", "4,000 equals signs (the library drops a pair without a name)", method="GET",
        target="/api/incidents?" + "=" * 4000, expect=[200, 400])
    add("params", "2,000 empty names with values", method="GET",
        target="/api/incidents?" + "&".join(["=1"] * 2000), expect=400)
    for q, why, st in [
        ("?", "an empty query string", 200), ("?&", "one ampersand", 200),
        ("?=", "an empty name and value (dropped by the library)", [200, 400]),
        ("?limit", "a name without '='", 400), ("?limit=", "an empty limit", 400),
        ("?limit==1", "a value starting with '=' (the library skips it)", [200, 400]),
        ("?limit=1=2", "a value with '=' (the library keeps the last part)", [200, 400]),
        ("?LIMIT=1", "a parameter name in capitals", 400),
        ("?limit%3D1", "an encoded '=' in the name", 400), ("?lim%69t=1", "an encoded letter "
                                                                          "in the name", 200),
        ("?limit=1;offset=1", "a semicolon is no separator", [200, 400]),
        ("?limit[]=1", "PHP-style array brackets", 400), ("?limit.x=1", "a dotted name", 400),
        ("?%00=1", "a NUL as the name", 400), ("?limit=1&&&&", "trailing ampersands", 200),
        # Numbers are read with the spaces around them and a leading '+' (geo::parse_double).
        ("?limit=%20%201", "spaces before the number", 200),
        ("?limit=1%20", "a space after the number", 200),
        ("?limit=+1", "a plus (a space in a query)", 200),
        ("?limit=%2B%2B1", "two plus signs", 400),
    ]:
        add("params", why, method="GET", target="/api/incidents" + q, expect=st)
    add("params", "near and radius_km repeated", method="GET",
        target="/api/incidents?near=30,50&radius_km=5&radius_km=6", expect=400)
    add("params", "a parameter of the OGC items (datetime) on the REST listing", method="GET",
        target="/api/incidents?datetime=2022-03-29", expect=400)
    add("params", "a parameter of the REST listing (since) on the OGC items", method="GET",
        target="/ogc/collections/incidents/items?since=2022-03-29", expect=400)
    add("params", "format on the listing (it is the export's)", method="GET",
        target="/api/incidents?format=csv", expect=400)
    add("params", "paging parameters on the stats", method="GET", target="/api/stats?limit=1",
        expect=400)
    add("params", "a cursor on the export", method="GET", target="/api/export?cursor=x",
        expect=400)


# ---------------------------------------------------------------------------------------------
# Bad values of every parameter (query/src/parameters.cpp), on each route that takes it.

NUMBER_GARBAGE = ["", " ", "abc", "NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "1e999",
                  "-1e999", "1e-999", "0x10", "1_000", "1,5", "--1", "1e", "e1", ".", "-",
                  "+", "1.2.3", "\u00bd", "9" * 400, "0" * 300 + "1", "1" + "0" * 400,
                  "1e308", "-0", "4.9e-324"]

VALUES = {
    "bbox": NUMBER_GARBAGE[:12] + ["30,46,33", "30,46,33,48,50", "30,46,33,48,0,1,2",
                                    "30,46,33,48,0,1", "30,91,33,92", "30,-91,33,48",
                                    "181,46,182,48", "-181,46,33,48", "30,48,33,46",
                                    "NaN,46,33,48", "30,46,Infinity,48", "30,46,33,1e999",
                                    ",,,", "30,,33,48", "30 46 33 48", "30;46;33;48",
                                    "[30,46,33,48]", "30,46,33,48,", ",30,46,33,48",
                                    "1" * 300 + ",46,33,48", "0x1E,46,33,48"],
    "near": ["30", "30,", ",50", "30,91", "181,50", "NaN,50", "30,Infinity", "30,50,10",
             "abc,def", "30;50", "1e999,0", "", "30 50"],
    "radius_km": ["0", "-1", "20039", "1e999", "NaN", "abc", "", "-0", "1e-999",
                  "99999999999999999999"],
    "within": ["", "{", "[]", "null", "1", '"Polygon"', '{"type":"Point","coordinates":[30,50]}',
               '{"type":"LineString","coordinates":[[30,50],[31,51]]}',
               '{"type":"Polygon","coordinates":[]}',
               '{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51]]]}',
               '{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,52]]]}',
               '{"type":"Polygon","coordinates":[[[30,91],[31,91],[31,92],[30,91]]]}',
               '{"type":"Polygon","coordinates":[[[30,50],[31,50],[31,51],[30,1e999]]]}',
               '{"type":"Polygon","coordinates":[[["a","b"],[31,50],[31,51],["a","b"]]]}',
               '{"type":"Polygon","coordinates":[[[30,50,1,2],[31,50],[31,51],[30,50,1,2]]]}',
               '{"type":"Polygon","coordinates":[[[30],[31,50],[31,51],[30]]]}',
               '{"type":"Polygon"}', '{"coordinates":[]}', '{"type":1,"coordinates":[]}',
               '{"type":"MultiPolygon","coordinates":[]}',
               '{"type":"MultiPolygon","coordinates":[[]]}',
               '{"type":"GeometryCollection","geometries":[]}',
               '{"type":"Feature","geometry":null}',
               '{"type":"Feature"}',
               '{"type":"Feature","geometry":{"type":"Feature","geometry":{"type":"Point",'
               '"coordinates":[1,2]}}}',
               "country:", "country:ZZ", "country:" + "a" * 300, "admin1:", "admin1:ZZ.99",
               "admin1:UA.", "admin1:.", "country:'; DROP TABLE incidents;--", "region:UA",
               "country", "COUNTRY:UA"],
    "since": ["2022-13-01", "2022-02-30", "2022-00-10", "22-01-01", "2022-1-1", "yesterday",
              "2022-01-01T00:00:00Z", "", "0000-00-00", "9999-99-99", "-2022-01-01",
              "2022-01-01 ", "20220101", "2022/01/01", "1e999"],
    "until": ["2022-02-29", "2022-04-31", "abc", "", "2022-01-01' OR '1'='1"],
    "datetime": ["", "..", "../..", "2022-13-01", "2022-03-29T", "2022-03-29X12:00:00Z",
                 "2022-03-29/2022-03-28", "2022-03-29/", "/2022-03-29", "2022-03-29//",
                 "2022-03-29/2022-03-30/2022-03-31", "yesterday", "2022-03-29T25:61:61Z",
                 "\u00e9", "2022-03-29T10:00", "2022-03-29T10:00:00", "2022-03-29T10:00:00.Z",
                 "2022-03-29T10:00:00+2", "2022-03-29T10:00:00+24:00"],
    "type": ["Nonsense", "Battles,Nonsense", ",,,", "battles", "Battles" * 50,
             "'; DROP TABLE incidents;--"],
    "sub_type": ["Nonsense", "Armed clash,x", "armed clash"],
    "min_fatalities": ["-1", "1.5", "1000001", "1e999", "NaN", "abc", "", "99999999999999999999",
                       "0x10", "-0.0", "1e6"],
    "q": ["", " ", "*", "\"", "\"\"", "'", "NEAR(a b)", "a OR b", "a AND", "^a", "a:b",
          "notes:x", "-a", "(", ")", "a*", "\\", "%", "_", "{a}", "[a]", "a NOT b"],
    "sort": ["", "distance", "-id", "random", "event_date desc", "id;DROP TABLE incidents",
             "EVENT_DATE", "-event_date,-id"],
    "limit": NUMBER_GARBAGE + ["0", "-1", "10001", "1.5", "1e4", "1e5", "18446744073709551616"],
    "offset": ["-1", "1.5", "100000001", "1e999", "NaN", "abc", "", "18446744073709551617"],
    "filter": ["", " ", "(", ")", "AND", "fatalities >", "fatalities > > 0", "nosuch = 1",
               "fatalities = 'a", "fatalities = 1e999", "fatalities = NaN", "x" * 2000,
               "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1)))"],
    "filter-lang": ["cql2-json", "sql", "", "CQL2-TEXT"],
    "filter-crs": ["EPSG:4326", "", "http://www.opengis.net/def/crs/EPSG/0/3857"],
    "f": ["xml", "", "html", "'"],
    "format": ["", "xml", "shp", "../../etc/passwd", "geojson\r\nX-Injected: 1", "GEOJSON",
               "csv;rm -rf /"],
}

# Which routes read each parameter, and which statuses a bad value may have there.
USES = {
    "bbox": ["/api/incidents", "/api/stats", "/api/export", "/ogc/collections/incidents/items"],
    "near": ["/api/incidents", "/api/stats"], "radius_km": ["/api/incidents"],
    "within": ["/api/incidents", "/api/stats"], "since": ["/api/incidents", "/api/export"],
    "until": ["/api/incidents"], "datetime": ["/ogc/collections/incidents/items"],
    "type": ["/api/incidents", "/api/stats"], "sub_type": ["/api/incidents"],
    "min_fatalities": ["/api/incidents", "/api/stats"], "q": ["/api/incidents", "/api/stats"],
    "sort": ["/api/incidents"], "limit": ["/api/incidents", "/ogc/collections/incidents/items"],
    "offset": ["/api/incidents", "/ogc/collections/incidents/items"],
    "filter": ["/api/incidents", "/ogc/collections/incidents/items", "/api/stats"],
    "filter-lang": ["/api/incidents"], "filter-crs": ["/ogc/collections/incidents/items"],
    "f": ["/ogc"], "format": ["/api/export"],
}

# Values a route accepts although they look odd (the answer is then 200, with no matches).
ACCEPTED = {
    ("q", "a*"), ("q", "a OR b"), ("q", "a NOT b"), ("q", "a:b"), ("q", "notes:x"),
    ("q", "-a"), ("q", "NEAR(a b)"), ("q", "a AND"), ("q", "^a"), ("q", "{a}"), ("q", "[a]"),
    ("bbox", "30,46,33,48,0,1"), ("bbox", "30,48,33,46"), ("sort", "distance"),
    ("limit", "1e4"), ("limit", "-0"), ("limit", "0" * 300 + "1"), ("offset", "1.5"),
    ("min_fatalities", "1e6"), ("min_fatalities", "-0.0"), ("f", "xml"), ("f", ""),
    ("f", "html"), ("f", "'"), ("within", "country:" + "a" * 300),
    ("filter-lang", "cql2-json"), ("since", "1e999"), ("type", ",,,"),
    # An interval open at both ends or one.
    ("datetime", "../.."), ("datetime", "2022-03-29/"), ("datetime", "/2022-03-29"),
    # OGC API - Features answers a limit out of range with the nearest page size.
    ("limit", "0", "/ogc/collections/incidents/items"),
    ("limit", "10001", "/ogc/collections/incidents/items"),
    ("limit", "1e5", "/ogc/collections/incidents/items"),
}


def accepted(name, value, path):
    return (name, value) in ACCEPTED or (name, value, path) in ACCEPTED


def values():
    for name, bad in VALUES.items():
        for v in bad:
            for path in USES[name]:
                extra = "&near=30,50&radius_km=5" if name == "sort" and v == "distance" else ""
                extra += "&filter=id>0" if name in ("filter-lang", "filter-crs") else ""
                add("value", f"{name}={v[:40]!r} on {path}", method="GET",
                    target=f"{path}?{name}={pct(v)}{extra}",
                    expect=[200, 400] if accepted(name, v, path) else 400)
    # The same values in a search body, as strings and (where they are numbers) as numbers.
    for name in ["bbox", "near", "within", "since", "type", "min_fatalities", "limit", "offset",
                 "sort", "cursor", "q", "filter"]:
        for v in VALUES.get(name, ["x"])[:12]:
            body = json.dumps({name: v} | ({"radius_km": 5} if name == "near" else {}))
            add("value", f"search body {name}={v[:40]!r}", method="POST",
                target="/api/incidents/search", headers=JSON, body=u8(body),
                expect=[200, 400] if accepted(name, v, "/api/incidents/search") else 400)
    for j, why in [({"bbox": [30, 46, 33]}, "a bbox of three numbers"),
                   ({"bbox": ["30", "46", "33", "48"]}, "bbox numbers as strings"),
                   ({"bbox": [[30, 46, 33, 48]]}, "bbox nested in an array"),
                   ({"bbox": {"a": 1}}, "bbox as an object"), ({"bbox": None}, "bbox null"),
                   ({"bbox": True}, "bbox true"), ({"limit": True}, "limit true"),
                   ({"limit": [1]}, "limit as an array"), ({"limit": -1}, "a negative limit"),
                   ({"limit": 1.5}, "a fractional limit"), ({"type": [1, 2]}, "types as numbers"),
                   ({"type": [["Battles"]]}, "types nested"), ({"near": [30]}, "near of one "
                                                                                  "number"),
                   ({"within": {"type": "Point", "coordinates": [1, 2]}}, "within a Point"),
                   ({"within": []}, "within an empty array"), ({"q": ["a"]}, "q as an array"),
                   ({"filter": {"op": "="}}, "a CQL2-JSON filter (only text is served)"),
                   ({"format": "csv"}, "the export's format in a search"),
                   ({"f": "json"}, "the OGC f in a search"),
                   ({"nosuch": 1}, "an unknown filter"), ({"": 1}, "an empty filter name")]:
        add("value", "search body: " + why, method="POST", target="/api/incidents/search",
            headers=JSON, body=json.dumps(j), expect=400)
    places()


def places():
    for q, why, st in [
        ("", "geocode without q", 400), ("?q=", "geocode with an empty q", [200, 400]),
        ("?q=Kyiv&limit=0", "geocode limit 0", [200, 400]), ("?q=Kyiv&limit=101", "geocode "
                                                                                 "limit 101", 400),
        ("?q=Kyiv&limit=-1", "geocode negative limit", 400), ("?q=Kyiv&limit=NaN", "geocode "
                                                                                 "limit NaN", 400),
        ("?q=Kyiv&match=regex", "geocode unknown match", 400), ("?q=Kyiv&match=", "geocode empty "
                                                                                "match", 400),
        ("?q=Kyiv&feature_class=AB", "geocode feature_class of two letters", 400),
        ("?q=Kyiv&feature_class=", "geocode empty feature_class", 400),
        ("?q=Kyiv&feature_class=%00", "geocode feature_class NUL", [200, 400]),
        ("?q=Kyiv&near=30", "geocode near of one number", 400),
        ("?q=Kyiv&near=30,91", "geocode near lat 91", 400),
        ("?q=Kyiv&near=NaN,NaN", "geocode near NaN", 400),
        ("?q=Kyiv&country=" + "U" * 300, "geocode long country", [200, 400]),
        ("?q=Kyiv&country=%27%3B--", "geocode country with SQL", [200, 400]),
        ("?q=" + pct("'; DROP TABLE places;--"), "geocode q with SQL", 200),
        ("?q=" + pct("%_%_%"), "geocode q of LIKE wildcards", [200, 400]),
        ("?q=" + pct("*" * 100), "geocode q of stars", [200, 400]),
        ("?q=a&match=fuzzy", "fuzzy geocode of one letter", [200, 400]),
        ("?q=" + "ab" * 1000 + "&match=fuzzy", "fuzzy geocode of 2,000 letters", [200, 400]),
        ("?q=" + "a%20" * 1000 + "&match=fuzzy", "fuzzy geocode of 1,000 words", [200, 400]),
        ("?q=%C3%28", "geocode q of invalid UTF-8", 400),
        ("?q=%F0%9F%92%A9", "geocode an emoji", [200, 400]),
    ]:
        add("value", why, method="GET", target="/api/geocode" + q, expect=st)
    for q, why in [("", "reverse without lon and lat"), ("?lon=30", "reverse without lat"),
                   ("?lat=50", "reverse without lon"), ("?lon=30&lat=91", "reverse lat 91"),
                   ("?lon=181&lat=50", "reverse lon 181"), ("?lon=NaN&lat=50", "reverse NaN"),
                   ("?lon=1e999&lat=0", "reverse 1e999"), ("?lon=30,1&lat=50", "reverse lon "
                                                                               "with a comma"),
                   ("?lon=&lat=", "reverse empty values"), ("?lon=30&lat=50&lat=51", "reverse "
                                                                                     "lat twice"),
                   ("?lon=abc&lat=def", "reverse words"), ("?lon=30&lat=-Infinity",
                                                           "reverse -Infinity")]:
        add("value", why, method="GET", target="/api/reverse" + q, expect=400)
    add("value", "reverse at the pole", method="GET", target="/api/reverse?lon=0&lat=90",
        expect=200)
    add("value", "reverse at the antimeridian", method="GET",
        target="/api/reverse?lon=-180&lat=-90", expect=200)


# ---------------------------------------------------------------------------------------------
# Percent-encoding and UTF-8 in path, query and body.

def encodings():
    for seq, why in [("%", "a lone percent"), ("%2", "a truncated escape"), ("%zz", "non-hex "
                                                                                   "digits"),
                     ("%%", "two percents"), ("%%41", "a percent before an escape"),
                     ("%u0041", "IIS-style %u escape"), ("%C0%AF", "overlong '/'"),
                     ("%C0%80", "overlong NUL"), ("%E0%80%AF", "three-byte overlong"),
                     ("%ED%A0%80", "a UTF-16 surrogate"), ("%F4%90%80%80", "beyond U+10FFFF"),
                     ("%FF", "0xFF"), ("%FE%FF", "a UTF-16 byte order mark"), ("%C3", "a "
                                                                                 "truncated pair"),
                     ("%C3%28", "an invalid continuation"), ("%80", "a lone continuation byte"),
                     ("%00", "an encoded NUL"), ("%0D%0A", "an encoded CRLF"),
                     ("%0D%0AX-Injected:%201", "an encoded header injection"),
                     ("%252e%252e", "double-encoded dots"), ("%EF%BB%BF", "an encoded BOM"),
                     ("\xc3\x28", "a raw invalid byte pair"), ("\xff", "a raw 0xFF"),
                     ("\x80", "a raw continuation byte"), ("\xe2\x82", "a raw truncated "
                                                                        "sequence")]:
        for name in ["q", "type", "since", "filter", "cursor", "sort"]:
            # q is free text: whatever decodes to valid UTF-8 is searched for (and not found).
            add("encoding", f"{why} in {name}", method="GET",
                target=f"/api/incidents?{name}=a{seq}b", expect=[200, 400] if name == "q" else 400)
        add("encoding", f"{why} in a parameter name", method="GET",
            target=f"/api/incidents?a{seq}b=1", expect=400)
        add("encoding", f"{why} in the path", method="GET", target=f"/api/incidents/{seq}",
            expect=[400, 404])
        add("encoding", f"{why} in a static path", method="GET", target=f"/web/app{seq}.js",
            expect=[400, 404])
        add("encoding", f"{why} in an OGC filter", method="GET",
            target=f"/ogc/collections/incidents/items?filter=location%3D%27{seq}%27",
            expect=[200, 400])
        add("encoding", f"{why} in geocode q", method="GET", target=f"/api/geocode?q=Ky{seq}iv",
            expect=[200, 400])
    for body, why in [("\xff\xfe{\x00}\x00", "a UTF-16 body"), ('{"q":"\xc3\x28"}', "invalid "
                                                                                      "UTF-8 in "
                                                                                      "a string"),
                      ('{"q":"\xed\xa0\x80"}', "an encoded surrogate in a string"),
                      ('{"q":"\\ud800"}', "a lone surrogate escape"),
                      ('{"q":"\\udc00\\ud800"}', "reversed surrogate escapes"),
                      ('{"q":"\\u0000"}', "an escaped NUL in q"), ('{"q":"a\x00b"}', "a raw NUL "
                                                                                       "in q"),
                      ('{"q":"\\x41"}', "a \\x escape (not JSON)"), ("\xef\xbb\xbf{}", "a BOM "
                                                                                        "before "
                                                                                        "{}"),
                      ('{"q":"\xc0\xaf"}', "an overlong '/' in a string"),
                      ('{"\xff":1}', "an invalid byte in a key")]:
        add("encoding", "search body: " + why, method="POST", target="/api/incidents/search",
            headers=JSON, body=body, expect=[200, 400])
        add("encoding", "article body without a token: " + why, method="POST",
            target="/api/articles", headers=JSON, body=body, expect=401)
        add("encoding", "write body with a token: " + why, method="POST", target="/api/incidents",
            headers=JSON, body=body, auth="token", expect=400)


# ---------------------------------------------------------------------------------------------
# CQL2: terms, depth, numbers, strings, functions (the limits of query/src/cql2_parser.hpp).

def cql2():
    def search(filter_pieces, why, expect, detail=None):
        """A search whose filter is the pieces given (a text, or pieces)."""
        pieces = filter_pieces if isinstance(filter_pieces, list) else [filter_pieces]
        pieces = [json.dumps(p)[1:-1] if isinstance(p, str) else [json.dumps(p[0])[1:-1], p[1]]
                  for p in pieces]
        extra = {"detail": detail} if detail else {}
        add("cql2", why, method="POST", target="/api/incidents/search", headers=JSON,
            body=['{"limit":1,"filter":"'] + pieces + ['"}'], expect=expect, **extra)

    def get(filter_text, why, expect, path="/ogc/collections/incidents/items"):
        add("cql2", why, method="GET", target=path + "?filter=" + pct(filter_text), expect=expect)

    search(["fatalities = 0", rep(" OR fatalities = 1", 999)], "1,000 conditions (at the limit)",
           200)
    search(["fatalities = 0", rep(" OR fatalities = 1", 1000)], "1,001 conditions", 400,
           "(the limit)")
    search(["fatalities = 0", rep(" OR fatalities = 1", 100000)], "100,001 conditions", 400,
           "(the limit)")
    search(["fatalities IN (0", rep(",1", 1000), ")"], "1,001 IN values", 400, "(the limit)")
    search(["fatalities IN (0", rep(",1", 998), ")"], "999 IN values", 200)
    search(["fatalities = 0", rep(" AND NOT (fatalities = 1)", 1000)], "1,000 NOTs in a row",
           400)
    search([rep("NOT ", 60), "fatalities = 1"], "60 NOT prefixes", [200, 400])
    search([rep("NOT ", 100000), "fatalities = 1"], "100,000 NOT prefixes", 400)
    for depth in [63, 64, 65, 1000, 100000]:
        search([rep("(", depth), "fatalities = 1", rep(")", depth)], f"{depth} parentheses",
               200 if depth < 64 else [200, 400] if depth == 64 else 400)
    search([rep("(", 100000)], "100,000 unclosed parentheses", 400)
    search([rep(")", 1000)], "1,000 closing parentheses", 400)
    search([rep("S_INTERSECTS(geometry, ", 1000), "POINT(1 2)", rep(")", 1000)],
           "1,000 nested functions", 400)
    search(["fatalities = ", rep("-", 100000), "1"], "100,000 minus signs", 400)
    search([rep("fatalities + ", 5000), "1 = 1"], "5,000 additions", 400)
    search([rep("CASEI(", 1000), "location", rep(")", 1000), " = 'a'"], "1,000 nested CASEI",
           400)
    search(["event_date > ", rep("DATE(", 200), "'x'", rep(")", 200)], "200 nested DATE", 400)
    for n, why in [("1e999", "a number over double"), ("-1e999", "a number under -double"),
                   ("1e-999", "a number under the smallest double"), ("9" * 400, "400 nines"),
                   ("0x10", "a hexadecimal literal"), ("1.2.3", "two decimal points"),
                   ("NaN", "NaN"), ("Infinity", "Infinity"),
                   ("1e", "an exponent without digits"),
                   ("99999999999999999999", "a number over int64"), ("-0", "minus zero"),
                   (".5", "a number without leading digit"),
                   ("5.", "a number without fraction digits")]:
        search("fatalities > " + n, "fatalities > " + why, [200, 400])
        search("id = " + n, "id = " + why, [200, 400])
    strings = [("'", "an unterminated string"), ("'''" + "'", "quotes escaped by doubling"),
               ("'\\'", "a backslash before the quote"), ("'a' 'b'", "two strings in a row"),
               ("'%'", "a LIKE-only wildcard outside LIKE")]
    for s, why in strings:
        search("location = " + s, why, [200, 400])
    search(["location = '", rep("a", 100000), "'"], "a 100 KB string", 200)
    search(["location = '", rep("''", 5000), "'"], "10,000 doubled quotes", 200)
    search(["location LIKE '", rep("%", 5000), "'"], "LIKE of 5,000 percent signs", 200)
    search(["location LIKE '", rep("%a", 2000), "b'"], "LIKE of 2,000 '%a' (backtracking)", 200)
    search(["location LIKE '", rep("_", 5000), "'"], "LIKE of 5,000 underscores", 200)
    for s in ["'\\'", "'[a-z]'", "'%' ESCAPE '!'"]:
        search("location LIKE " + s, "LIKE " + s, [200, 400])
    funcs = ["S_INTERSECTS(geometry, POINT(1))", "S_INTERSECTS(geometry, POINT(1 91))",
             "S_INTERSECTS(geometry, POINT(NaN 1))", "S_INTERSECTS(geometry, POINT(1e999 1))",
             "S_INTERSECTS(geometry, BBOX(1,2,3))", "S_INTERSECTS(geometry, BBOX(3,2,1,0))",
             "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))",
             "S_INTERSECTS(geometry, POLYGON(()))", "S_INTERSECTS(geometry, POLYGON)",
             "S_INTERSECTS(geometry, LINESTRING(0 0))", "S_INTERSECTS(geometry, ENVELOPE(0 0))",
             "S_INTERSECTS(geometry, GEOMETRYCOLLECTION())", "S_WITHIN(POINT(1 2), geometry)",
             "S_DWITHIN(geometry, POINT(1 2), -1, meters)", "S_CONTAINS(geometry, geometry)",
             "S_INTERSECTS(geometry)", "S_INTERSECTS()", "NOSUCH(geometry)",
             "T_AFTER(event_date, DATE('2022-13-01'))", "T_AFTER(event_date, DATE('x'))",
             "T_AFTER(event_date, TIMESTAMP('2022-01-01T25:00:00Z'))",
             "T_DURING(event_date, INTERVAL('2022-01-01'))",
             "T_DURING(event_date, INTERVAL('..','..'))", "A_CONTAINS(location, ('a'))",
             "location IS NULL", "location IS NOT NOT NULL", "fatalities BETWEEN 10 AND 1",
             "fatalities BETWEEN 'a' AND 'b'", "geometry = POINT(1 2)",
             "\"" + "a" * 1000 + "\" = 1", "\"fatalities = 1", "fatalities = 1 --",
             "fatalities = 1 /* */", "1 = 1", "'a' = 'a'", "fatalities = fatalities", "TRUE",
             "FALSE AND TRUE", "fatalities <> NULL"]
    for f in funcs:
        search(f, "filter " + f[:60], [200, 400])
    get("fatalities > 0" + " AND fatalities > 0" * 150, "151 conditions in a URL", 200)
    get("fatalities > 0" + " AND fatalities > 0" * 400, "401 conditions in a URL over 8 KB", 414)
    get("fatalities = 1e999", "a huge number in a URL filter", [200, 400])
    get("location = '" + "\u00e9" * 100 + "'", "UTF-8 in a URL filter", 200)
    get("location = 'a''; DROP TABLE incidents;--'", "SQL in a CQL2 string", 200)
    get("location = 'a' OR 1=1 --'", "a tautology attempt", [200, 400])


# ---------------------------------------------------------------------------------------------
# Polygon vertices: the 100,000 of within (geo/geojson.cpp) and of CQL2 (kMaxVertices).
# Rings repeat one position to reach a count (a ring may repeat positions), so that the
# corpus stays small.

def ring(n):
    """A closed GeoJSON ring of n positions (n - 3 of them the same), as pieces."""
    return ["[[30,46],[33,46]", rep(",[33,48]", n - 3), ",[30,46]]"]


def wkt_ring(n):
    """A closed WKT ring of n positions, as pieces."""
    return ["(30 46,33 46", rep(",33 48", n - 3), ",30 46)"]


def vertices():
    def within(geometry, why, expect, detail=None):
        extra = {"detail": detail} if detail else {}
        add("vertices", why, method="POST", target="/api/incidents/search", headers=JSON,
            body=['{"limit":1,"within":'] + geometry + ["}"], expect=expect, **extra)

    poly = '{"type":"Polygon","coordinates":['
    multi = '{"type":"MultiPolygon","coordinates":['
    tri = "[[[30,46],[33,46],[33,48],[30,46]]]"
    within([poly] + ring(100000) + ["]}"],
           "a search polygon of 100,000 positions (at the limit)", 200)
    within([poly] + ring(100001) + ["]}"], "a search polygon of 100,001 positions", 400,
           "too many vertices (the limit is 100000")
    within([poly] + ring(300000) + ["]}"], "a search polygon of 300,000 positions", 400,
           "too many vertices")
    within([multi + tri, rep("," + tri, 25000), "]}"],
           "a MultiPolygon of 25,001 triangles (100,004 positions)", 400, "too many vertices")
    within([poly + "[[30,46],[33,46],[33,48],[30,46]]",
            rep(",[[31,47],[32,47],[32,47.5],[31,47]]", 25000), "]}"],
           "a polygon of 25,000 holes", 400, "too many vertices")
    within([poly + "[[179,0],[-179,0],[-179,1],[179,0]]]}"], "a triangle over the antimeridian",
           [200, 400])
    within([poly + "[[0,0],[0,0],[0,0],[0,0]]]}"], "a ring of four equal positions", [200, 400])
    within([poly + "[[0,0],[10,10],[10,0],[0,10],[0,0]]]}"], "a self-intersecting bowtie",
           [200, 400])
    within([poly + "[[-180,-90],[180,-90],[180,90],[-180,90],[-180,-90]]]}"], "the whole world",
           200)
    add("vertices", "a within polygon of 600 positions in a URL (within 8 KB)", method="GET",
        target=["/api/incidents?within=" + pct(poly + "[[30,46],[33,46]"),
                rep(pct(",[33,48]"), 597), pct(",[30,46]]]}")], expect=[200, 414])

    def cql(geometry, why, expect, detail=None):
        extra = {"detail": detail} if detail else {}
        add("vertices", why, method="POST", target="/api/incidents/search", headers=JSON,
            body=['{"limit":1,"filter":"S_INTERSECTS(geometry, '] + geometry + [')"}'],
            expect=expect, **extra)

    cql(["POLYGON("] + wkt_ring(99999) + [")"], "a CQL2 polygon of 99,999 vertices", 200)
    cql(["POLYGON("] + wkt_ring(100001) + [")"], "a CQL2 polygon of 100,001 vertices", 400,
        "too many vertices (the limit is 100000)")
    cql(["MULTIPOLYGON(((30 46,33 46,33 48,30 46))", rep(",((30 46,33 46,33 48,30 46))", 25001),
         ")"], "a CQL2 MultiPolygon of 100,008 vertices", 400, "too many vertices")
    cql(["LINESTRING(1 1", rep(",1 1", 100001), ")"], "a CQL2 line of 100,002 vertices", 400)
    cql(["MULTIPOINT((1 1)", rep(",(1 1)", 100001), ")"], "a CQL2 MultiPoint of 100,002 points",
        400)
    cql(["GEOMETRYCOLLECTION(POINT(1 1)", rep(",POINT(1 1)", 100001), ")"],
        "a CQL2 collection of 100,002 points", 400)
    cql([rep("GEOMETRYCOLLECTION(", 1000), "POINT(1 1)", rep(")", 1000)],
        "1,000 nested geometry collections", 400)
    cql(["POLYGON((30 46,33 46,33 48,30 46)", rep(",(31 47,32 47,32 47.5,31 47)", 30000), ")"],
        "a CQL2 polygon of 30,001 rings", 400)
    add("vertices", "a CQL2 polygon of 400 vertices in a URL", method="GET",
        target=["/ogc/collections/incidents/items?filter=" +
                pct("S_INTERSECTS(geometry, POLYGON((30 46,33 46"), rep(pct(",33 48"), 397),
                pct(",30 46)))")], expect=[200, 414])
    add("vertices", "a bbox of 3,000 numbers", method="GET",
        target=["/api/incidents?bbox=1", rep(",1", 2999)], expect=400)
    add("vertices", "a write with a polygon geometry (incidents are points)", method="POST",
        target="/api/incidents", headers=JSON, auth="token",
        body=['{"type":"Feature","geometry":' + poly] + ring(1000) +
        [']},"properties":{"event_date":"2022-03-29","event_type":"Battles","country":"UA"}}'],
        expect=400)


# ---------------------------------------------------------------------------------------------
# Cursors: forged, truncated, of another sort (query/src/query.cpp, parse_cursor).

def cursors():
    forged = [
        ("", "an empty cursor"), ("d", "one letter"), ("d_", "a letter and a separator"),
        ("d__", "no key, no id"), ("d_2022-03-29_", "no id"), ("d_2022-03-29", "no id "
                                                                              "separator"),
        ("d_2022-03-29_-1", "a negative id"), ("d_2022-03-29_abc", "an id of letters"),
        ("d_2022-03-29_99999999999999999999", "an id over int64"), ("d_2022-03-29_1.5", "a "
                                                                                      "fractional "
                                                                                      "id"),
        ("d_2022-13-45_1", "a date that does not exist"), ("d_9999-99-99_1", "nines as a date"),
        ("d_2022-03-29_1_1", "an extra part"), ("d_'; DROP TABLE incidents;--_1", "SQL as "
                                                                                  "the key"),
        ("x_2022-03-29_1", "an unknown sort letter"), ("a_2022-03-29_1", "the ascending sort's "
                                                                        "cursor on the default"),
        ("i__1", "the id sort's cursor on the default sort"), ("k_100_1", "a distance cursor "
                                                                         "without near"),
        ("d_2022-03-29_1\x00", "a NUL after the id"), ("D_2022-03-29_1", "a capital letter"),
        ("d-2022-03-29-1", "dashes for separators"), ("d_2022-03-29_0x1", "a hexadecimal id"),
        ("d_ 2022-03-29_1", "a space in the key"), ("ZF8yMDIyLTAzLTI5XzE=", "base64 of a "
                                                                           "cursor"),
        ("d_2022-03-29_" + "1" * 51, "65 bytes"), ("\u00e9_2022-03-29_1", "a non-ASCII letter"),
        ("d_2022-03-29_+1", "an id with a plus"), ("d_2022-03-29_ 1", "an id with a space"),
        ("_2022-03-29_1", "no sort letter"), ("dd_2022-03-29_1", "two sort letters"),
    ]
    for c, why in forged:
        add("cursor", "a forged cursor: " + why, method="GET",
            target="/api/incidents?limit=1&cursor=" + pct(c), expect=400)
    for c, sort, why in [("k_nan_1", "distance", "distance NaN"), ("k_-1_1", "distance",
                                                                  "a negative distance"),
                         ("k_1e999_1", "distance", "distance 1e999"), ("k_inf_1", "distance",
                                                                       "distance inf"),
                         ("i_x_1", "id", "a key on the id sort"), ("a_x_1", "event_date",
                                                                   "a word as the date"),
                         ("d_2022-03-29_1", "event_date", "the descending cursor on the "
                                                          "ascending sort")]:
        near = "&near=30,50" if sort == "distance" else ""
        add("cursor", "a forged cursor: " + why, method="GET",
            target=f"/api/incidents?limit=1&sort={sort}{near}&cursor=" + pct(c),
            expect=[200, 400])
    add("cursor", "a good-looking cursor with an offset", method="GET",
        target="/api/incidents?limit=1&offset=1&cursor=d_2022-03-29_1", expect=400)
    add("cursor", "a cursor for an id that does not exist", method="GET",
        target="/api/incidents?limit=1&cursor=d_2022-03-29_999999999", expect=200)
    add("cursor", "a cursor from year 0001", method="GET",
        target="/api/incidents?limit=1&cursor=d_0001-01-01_1", expect=200)
    for c, why in [("d_2022-03-29_", "truncated"), ("x", "a letter"),
                   ("d_2022-03-29_1" + "'" * 10, "quotes")]:
        add("cursor", "a forged cursor in a search body: " + why, method="POST",
            target="/api/incidents/search", headers=JSON, body=json.dumps({"cursor": c}),
            expect=400)
    add("cursor", "a cursor as a number in a search body", method="POST",
        target="/api/incidents/search", headers=JSON, body='{"cursor":1}', expect=400)
    add("cursor", "the OGC items take no cursor", method="GET",
        target="/ogc/collections/incidents/items?cursor=d_2022-03-29_1", expect=400)


# ---------------------------------------------------------------------------------------------
# Content types of the routes that read a body.

def content_types():
    good_search = '{"limit":1}'
    types = [
        ("text/plain", good_search, "JSON sent as text/plain"),
        ("application/x-www-form-urlencoded", "limit=1", "a form"),
        ("application/x-www-form-urlencoded", "limit=1&" * 3000, "a form of 24 KB"),
        ("application/x-www-form-urlencoded", "%zz=%zz", "a form with bad escapes"),
        ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; "
         "name=\"limit\"\r\n\r\n1\r\n--x--\r\n", "multipart form data"),
        ("multipart/form-data; boundary=x", "--x\r\n" * 2000, "2,000 multipart boundaries"),
        ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data\r\n\r\n",
         "a multipart part that never ends"),
        ("multipart/form-data", "--x\r\n\r\n", "multipart without a boundary"),
        ("multipart/form-data; boundary=" + "b" * 5000, "--" + "b" * 5000 + "\r\n", "a 5 KB "
                                                                                    "boundary"),
        ("multipart/form-data; boundary=", "----\r\n", "an empty boundary"),
        ("application/xml", "<search><limit>1</limit></search>", "XML"),
        ("application/xml", "<!DOCTYPE x [<!ENTITY a \"" + "a" * 100 + "\">]><x>&a;&a;</x>",
         "XML with an entity"),
        ("text/html", "<script>alert(1)</script>", "HTML"),
        ("application/octet-stream", "\x00\x01\x02", "bytes"),
        ("", good_search, "an empty Content-Type"),
        (None, good_search, "no Content-Type"),
        ("application/json; charset=utf-16", "\xff\xfe{\x00}\x00", "JSON declared UTF-16"),
        ("application/json; charset=latin-1", '{"q":"\xe9"}', "JSON declared Latin-1 with a "
                                                              "Latin-1 byte"),
        ("application/jsonx", good_search, "a type that contains 'json'"),
        ("text/json-but-not-really", good_search, "a text type that contains 'json'"),
        ("application/geo+json", good_search, "GeoJSON for a search"),
        ("application/json" + ";a=b" * 1000, good_search, "a thousand media type parameters"),
        ("APPLICATION/JSON", good_search, "the type in capitals"),
        ("application/json\x00", good_search, "a NUL in the type"),
        ("application/json, text/plain", good_search, "two types"),
    ]
    routes = [("/api/incidents/search", None), ("/api/articles", "token"),
              ("/api/incidents", "token"), ("/ogc/collections/incidents/items", "token"),
              ("/api/incidents/1", "token")]
    def is_json(ctype):
        """The rule of api/src/request.cpp: application/json or a +json type, any case."""
        # (The library's header reader ends a value at a NUL byte.)
        media = (ctype or "").split("\x00")[0].split(";")[0].strip().lower()
        return media == "application/json" or (media.startswith("application/") and
                                               media.endswith("+json"))

    for ctype, body, why in types:
        for path, auth in routes:
            method = "PATCH" if path == "/api/incidents/1" else "POST"
            headers = [] if ctype is None else [["Content-Type", ctype]]
            extra = {"auth": auth} if auth else {}
            # A JSON body is read (a search, a merge patch of one member may succeed);
            # anything else is refused (a form of over 8 KB by the library, 413).
            ok = is_json(ctype) and (path.endswith("search") or method == "PATCH")
            add("content_type", f"{why} to {method} {path}", method=method, target=path,
                headers=headers, body=body, expect=[200, 400] if ok else [400, 413, 415],
                **extra)


# ---------------------------------------------------------------------------------------------
# JSON bodies: duplicates, numbers, nesting, shapes.

def json_bodies():
    def feature(props, geometry='{"type":"Point","coordinates":[31.99,46.97]}'):
        return '{"type":"Feature","geometry":' + geometry + ',"properties":' + props + "}"

    base = '"event_date":"2022-03-29","event_type":"Battles","country":"UA","location":"M"'
    bodies = [
        ('{"limit":1,"limit":2}', "a duplicate key in a search", [200, 400]),
        ('{"q":"a","q":"b","q":"c"}', "a key three times", [200, 400]),
        ('{"limit":1e999}', "a limit of 1e999", 400), ('{"limit":-1e999}', "-1e999", 400),
        ('{"limit":NaN}', "NaN (not JSON)", 400), ('{"limit":Infinity}', "Infinity (not JSON)",
                                                   400),
        ('{"limit":1' + "0" * 400 + "}", "a 400-digit integer", 400),
        ('{"limit":0.' + "0" * 400 + "1}", "a 400-digit fraction", 400),
        ('{"limit":1e-999}', "a limit of 1e-999", 400),
        ('{"limit":18446744073709551616}', "2^64 as a limit", 400),
        ('{"limit":-9223372036854775809}', "under int64", 400),
        ('{"bbox":[1e999,0,1,1]}', "bbox 1e999", 400), ('{"bbox":[0,91,1,92]}', "bbox lat 91",
                                                         400),
        ('{"near":[NaN,0],"radius_km":1}', "near NaN", 400),
        ('{"near":[30,50],"radius_km":1e999}', "radius 1e999", 400),
        ("", "an empty body", 400), (" ", "a space", 400), ("null", "null", 400), ("[]",
                                                                                  "an array",
                                                                                  400),
        ('"{}"', "a string", 400), ("1", "a number", 400), ("true", "true", 400),
        ("{}{}", "two objects", 400), ("{} x", "trailing garbage", 400),
        ('{"limit":1,}', "a trailing comma", 400), ("{'limit':1}", "single quotes", 400),
        ('{limit:1}', "unquoted keys", 400), ('{"limit":01}', "a leading zero", 400),
        ('{"limit":1}' + "\x00", "a NUL after the object", 400),
        ('{"limit":1 /* c */}', "a comment", 400), ('{"q":"\t"}', "a raw tab in a string",
                                                     [200, 400]),
        ('{"q":"\n"}', "a raw newline in a string", 400),
        ("[" * 64 + "]" * 64, "64 levels (at the limit)", 400),
        ("[" * 65 + "]" * 65, "65 levels", 400),
        ([rep("[", 100000)], "100,000 unclosed brackets", 400),
        ('{"a":' * 65 + "1" + "}" * 65, "65 nested objects", 400),
        (['{"q":"', rep("\\\\", 50000), '"}'], "50,000 escaped backslashes", [200, 400]),
        (['{"q":"', rep("\\u0041", 10000), '"}'], "10,000 \\u escapes", [200, 400]),
        (['{"k":1', rep(',"k":1', 50000), "}"], "one key 50,001 times", 400),
        (["[1", rep(",1", 500000), "]"], "an array of 500,001 numbers", 400),
        (["[{}", rep(",{}", 200000), "]"], "an array of 200,001 objects", 400),
    ]
    for body, why, st in bodies:
        add("json", "search body: " + why, method="POST", target="/api/incidents/search",
            headers=JSON, body=body, expect=st)
    writes = [
        (feature("{" + base + ',"fatalities":1e999}'), "fatalities 1e999"),
        (feature("{" + base + ',"fatalities":-1}'), "negative fatalities"),
        (feature("{" + base + ',"fatalities":1.5}'), "fractional fatalities"),
        (feature("{" + base + ',"fatalities":99999999999999999999}'), "fatalities over int64"),
        (feature("{" + base + ',"fatalities":"ten"}'), "fatalities as a word"),
        (feature("{" + base + ',"event_date":"2022-02-30"}'), "a date that does not exist"),
        (feature("{" + base + ',"event_type":"Nonsense"}'), "an unknown event type"),
        (feature("{" + base + ',"country":"ZZZ"}'), "a country of three letters"),
        (feature("{" + base + ',"id":5}'), "an id in the properties"),
        (feature("{" + base + ',"confidence":NaN}'), "NaN confidence"),
        (feature("{" + base + ',"confidence":2}'), "confidence 2"),
        (feature("{" + base + ',"attributes":' + '{"a":' * 60 + "1" + "}" * 60 + "}"),
         "attributes nested 60 deep"),
        (feature("{" + base + ',"attributes":[1,2]}'), "attributes as an array"),
        (feature("{" + base + "}", '{"type":"Point","coordinates":[1e999,0]}'), "lon 1e999"),
        (feature("{" + base + "}", '{"type":"Point","coordinates":[0,91]}'), "lat 91"),
        (feature("{" + base + "}", '{"type":"Point","coordinates":[181,0]}'), "lon 181"),
        (feature("{" + base + "}", '{"type":"Point","coordinates":[0]}'), "one coordinate"),
        (feature("{" + base + "}", '{"type":"Point","coordinates":[0,0,0,0]}'), "four "
                                                                               "coordinates"),
        (feature("{" + base + "}", '{"type":"Point","coordinates":["0","0"]}'), "coordinates "
                                                                               "as strings"),
        (feature("{" + base + "}", "null"), "a null geometry"),
        (feature("{" + base + "}", '{"type":"Point"}'), "a point without coordinates"),
        (feature("null"), "null properties"), (feature("[]"), "properties as an array"),
        (feature("{}"), "empty properties"),
        ('{"type":"FeatureCollection","features":[]}', "a FeatureCollection"),
        ('{"type":"Feature"}', "a Feature with nothing"),
        ("[" * 65 + "]" * 65, "65 levels"),
        (feature("{" + base + ',"event_date":"2022-03-29","event_date":"1900-01-01"}'),
         "a duplicate event_date"),
    ]
    for body, why in writes:
        add("json", "write body: " + why, method="POST", target="/api/incidents", headers=JSON,
            body=body, auth="token", expect=[201, 400])
        add("json", "replace body: " + why, method="PUT", target="/api/incidents/999999999",
            headers=JSON, body=body, auth="token", expect=[400, 404])
    for body, why in [('{"text":1}', "text as a number"), ('{"text":null}', "text null"),
                      ('{"text":["a"]}', "text as an array"), ('{"nosuch":"a"}', "an unknown "
                                                                                 "member"),
                      ('{"text":"a","published":"2022-13-01"}', "a date that does not exist"),
                      ('{"text":"a","url":"javascript:alert(1)"}', "a javascript: URL"),
                      ("[" * 65 + "]" * 65, "65 levels"), ("{}", "no text")]:
        add("json", "article body: " + why, method="POST", target="/api/articles", headers=JSON,
            body=body, auth="token", expect=[200, 201, 400])
    for body, why in [('{"properties":' + '{"a":' * 70 + "null" + "}" * 70 + "}", "a patch 70 "
                                                                                 "deep"),
                      ('{"geometry":{"coordinates":[0,91]}}', "a patch to lat 91"),
                      ('{"properties":{"event_date":null}}', "a patch that removes a required "
                                                                "field"),
                      ('{"type":null}', "a patch that removes the type"),
                      ("null", "a patch that is null"), ("[]", "a patch that is an array"),
                      ('"x"', "a patch that is a string")]:
        add("json", "merge patch: " + why, method="PATCH", target="/api/incidents/1",
            headers=JSON, body=body, auth="token", expect=[200, 400])


# ---------------------------------------------------------------------------------------------
# Injection: SQL, shell, markup and headers in every parameter.

INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE incidents;--", "\" OR \"\"=\"", "1; SELECT sqlite_version()",
    "1 UNION SELECT * FROM schema_migrations", "'||(SELECT load_extension('x'))||'",
    "%' AND 1=1 AND '%'='", "1) OR (1=1", "$(rm -rf /)", "`id`", "<script>alert(1)</script>",
    "{{7*7}}", "${jndi:ldap://x/a}", "\r\nSet-Cookie: a=b", "../../../../etc/passwd",
    "\\x27", "'; ATTACH DATABASE '/tmp/x' AS x;--", "' AND pg_sleep(5)--",
]


def injections():
    # Each parameter with each string; statuses: a text search or a CQL2 string may match
    # nothing (200), everything else refuses it (400).
    for s in INJECTIONS:
        for name, path in [("q", "/api/incidents"), ("type", "/api/incidents"),
                           ("sub_type", "/api/incidents"), ("since", "/api/incidents"),
                           ("until", "/api/incidents"), ("sort", "/api/incidents"),
                           ("cursor", "/api/incidents"), ("bbox", "/api/incidents"),
                           ("near", "/api/incidents"), ("within", "/api/incidents"),
                           ("limit", "/api/incidents"), ("offset", "/api/incidents"),
                           ("min_fatalities", "/api/stats"), ("format", "/api/export"),
                           ("datetime", "/ogc/collections/incidents/items"),
                           ("location", "/ogc/collections/incidents/items"),
                           ("country", "/ogc/collections/incidents/items"),
                           ("fatalities", "/ogc/collections/incidents/items"),
                           ("q", "/api/geocode"), ("country", "/api/geocode?q=Kyiv&x=1"),
                           ("lat", "/api/reverse?lon=30&x=1")]:
            sep = "&" if "?" in path else "?"
            p = path.replace("&x=1", "")
            text_like = (name == "q" or (name in ("location", "country") and "ogc" in path)
                         or (name == "country" and "geocode" in path))
            add("injection", f"{s[:30]!r} in {name} of {p}", method="GET",
                target=f"{p}{sep}{name}={pct(s)}", expect=[200, 400] if text_like else 400)
        add("injection", f"{s[:30]!r} as a CQL2 string", method="GET",
            target="/ogc/collections/incidents/items?filter=" +
            pct("location = '" + s.replace("'", "''") + "'"), expect=200)
        add("injection", f"{s[:30]!r} as a CQL2 expression", method="GET",
            target="/ogc/collections/incidents/items?filter=" + pct("location = " + s),
            expect=[200, 400])
        add("injection", f"{s[:30]!r} in a search body", method="POST",
            target="/api/incidents/search", headers=JSON, body=json.dumps({"q": s}),
            expect=[200, 400])
        add("injection", f"{s[:30]!r} in a header", method="GET", target="/api/incidents?limit=1",
            headers=[["X-Test", s.replace("\r\n", " ")], ["If-None-Match", s.replace("\r\n", "")]],
            expect=200)
    add("injection", "SQL in the notes of a new incident (stored as text)", method="POST",
        target="/api/incidents", headers=JSON, auth="token",
        body=json.dumps({"type": "Feature", "geometry": {"type": "Point",
                                                         "coordinates": [31.99, 46.97]},
                         "properties": {"event_date": "2022-03-29", "event_type": "Battles",
                                        "country": "UA", "location": "'; DROP TABLE x;--",
                                        "notes": "' OR 1=1; DELETE FROM incidents;--",
                                        "source_id": "hostile-sql-1"}}),
        expect=[201, 409])


# ---------------------------------------------------------------------------------------------
# Path traversal out of the static folders.

def traversal():
    paths = [
        "/web/../../../../etc/passwd", "/web/..%2f..%2f..%2fetc%2fpasswd",
        "/web/%2e%2e/%2e%2e/etc/passwd", "/web/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/web/..",
        "/web/.", "/web/...", "/web/..%00", "/web/app.js%00.html", "/web/app.js/",
        "/web/..\\..\\etc\\passwd", "/web/%5c..%5c..%5cetc%5cpasswd", "/web/%c0%ae%c0%ae/x",
        "/web//etc/passwd", "/web/%2fetc%2fpasswd", "/vendor/leaflet/../../../etc/passwd",
        "/vendor/leaflet/..%2f..%2f..%2fetc%2fpasswd", "/vendor/leaflet/images/../../../../x",
        "/vendor/leaflet/./../package.json", "/vendor/leaflet/.../x", "/vendor/leaflet//etc",
        "/vendor/leaflet/%2e%2e/%2e%2e/package.json", "/vendor/leaflet/images/%2e%2e",
        "/vendor/markercluster/..", "/vendor/markercluster/../../package.json",
        "/vendor/markercluster/%2e%2e%2f%2e%2e%2fpackage.json", "/../../etc/passwd",
        "/api/../../etc/passwd", "/./web/app.js", "/web/./app.js", "/web/app.js?../../x",
        "/web/%2e%2e", "/web/.%2e", "/web/..;/x", "/web/.htaccess", "/web/.git",
        "/web/index.html%20", "/web/INDEX.HTML", "/vendor/leaflet/../../../../proc/self/environ",
        "/web/..%252f..%252fetc%252fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/leaflet/" + "../" * 50 + "etc/passwd",
    ]
    for p in paths:
        add("traversal", "a path out of the served folders: " + p[:60], method="GET", target=p,
            expect=[200, 400, 404], detail_absent="root:")
    add("traversal", "an absolute path as the target", method="GET", target="/etc/passwd",
        expect=404)


# ---------------------------------------------------------------------------------------------
# Tokens on the writes (the wrong ones last: ten within a minute block the address).

def auth():
    writes = [("POST", "/api/incidents"), ("PUT", "/api/incidents/1"),
              ("PATCH", "/api/incidents/1"), ("DELETE", "/api/incidents/1"),
              ("POST", "/api/articles"), ("POST", "/ogc/collections/incidents/items"),
              ("PUT", "/ogc/collections/incidents/items/1"),
              ("DELETE", "/ogc/collections/incidents/items/1")]
    for m, p in writes:
        body = {"body": "{}", "headers": JSON} if m != "DELETE" else {}
        add("auth", f"{m} {p} without a token", method=m, target=p, expect=401, **body)
    add("auth", "a token query parameter is not a token", method="DELETE",
        target="/api/incidents/1?token=" + TOKEN, expect=[400, 401])
    add("auth", "the token in a cookie is not a token", method="DELETE",
        target="/api/incidents/1", headers=[["Cookie", "token=" + TOKEN]], expect=401)
    # From here on wrong tokens: after ten the address is answered 429 for a minute. They go to
    # tokens.jsonl, which the runner reads last (the files in the order of their names).
    global OUT
    OUT = TOKENS
    for m, p in writes:
        body = {"body": "{}", "headers": JSON} if m != "DELETE" else {}
        for h, why in [("Bearer", "Bearer without a token"), ("Bearer ", "Bearer and a space"),
                       ("Basic dXNlcjpwYXNz", "Basic credentials"), ("bearer " + TOKEN,
                                                                      "bearer in lower case"),
                       ("Token " + TOKEN, "another scheme"), (TOKEN, "the token without "
                                                                     "Bearer"),
                       ("Bearer  " + TOKEN, "two spaces after Bearer")]:
            add("auth", f"{m} {p}: {why}", method=m, target=p, headers=[["Authorization", h]] +
                body.get("headers", []), body=body.get("body"), expect=[401, 429])
    for m, p in writes:
        body = {"body": "{}", "headers": JSON} if m != "DELETE" else {}
        for h, why in [("Bearer " + TOKEN + "x", "the token and one more byte"),
                       ("Bearer " + TOKEN[:-1], "the token less one byte"),
                       ("Bearer " + "t" * 8000, "an 8 KB token"),
                       ("Bearer " + TOKEN + "\x00", "the token and a NUL")]:
            add("auth", f"{m} {p}: {why}", method=m, target=p, headers=[["Authorization", h]] +
                body.get("headers", []), body=body.get("body"), expect=[400, 401, 429])
        add("auth", f"{m} {p}: the right token twice", method=m, target=p,
            headers=[["Authorization", "Bearer " + TOKEN], ["Authorization", "Bearer " + TOKEN]]
            + body.get("headers", []), body=body.get("body"), expect=[400, 401, 404, 429])


def main():
    methods()
    heads()
    sizes()
    params()
    values()
    encodings()
    cql2()
    vertices()
    cursors()
    content_types()
    json_bodies()
    injections()
    traversal()
    auth()  # last: it puts its wrong tokens in TOKENS
    here = os.path.dirname(os.path.abspath(__file__))
    for name, entries in [("corpus.jsonl", CORPUS), ("tokens.jsonl", TOKENS)]:
        with open(os.path.join(here, name), "w", encoding="ascii") as out:
            for e in entries:
                e = {k: v for k, v in e.items() if v is not None}
                out.write(json.dumps(e, ensure_ascii=True, separators=(",", ":")) + "\n")
    counts = {}
    for e in CORPUS + TOKENS:
        counts[e["cat"]] = counts.get(e["cat"], 0) + 1
    print(len(CORPUS + TOKENS), "entries:", ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
