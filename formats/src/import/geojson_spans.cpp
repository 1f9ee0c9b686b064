#include "geojson_spans.hpp"

#include "incidentmap/error.hpp"

namespace incidentmap::incidents::detail {

std::vector<Span> feature_spans(const std::string& doc) {
    std::vector<Span> out;
    // Find the value at depth of "features": [...] or a top-level array / sequence of objects.
    std::size_t i = 0;
    auto skip_ws = [&] {
        while (i < doc.size() && (std::isspace(static_cast<unsigned char>(doc[i])) ||
                                  doc[i] == '\x1e')) { // RFC 8142 record separator
            ++i;
        }
    };
    // Returns the end of the JSON value starting at i (objects/arrays/strings/scalars).
    auto value_end = [&](std::size_t from) -> std::size_t {
        std::size_t k = from;
        int depth = 0;
        bool in_string = false;
        for (; k < doc.size(); ++k) {
            char ch = doc[k];
            if (in_string) {
                if (ch == '\\') {
                    ++k;
                } else if (ch == '"') {
                    in_string = false;
                    if (depth == 0) {
                        return k + 1;
                    }
                }
                continue;
            }
            if (ch == '"') {
                in_string = true;
            } else if (ch == '{' || ch == '[') {
                ++depth;
            } else if (ch == '}' || ch == ']') {
                if (--depth == 0) {
                    return k + 1;
                }
                if (depth < 0) {
                    break;
                }
            } else if (depth == 0 && (ch == ',' || std::isspace(static_cast<unsigned char>(ch)))) {
                return k;
            }
        }
        if (depth == 0 && !in_string) {
            return k;
        }
        throw InvalidInput("the GeoJSON ends inside a value (truncated file?)");
    };
    auto array_items = [&](std::size_t open) {
        i = open + 1;
        for (;;) {
            skip_ws();
            if (i >= doc.size()) {
                throw InvalidInput("the features array is not closed");
            }
            if (doc[i] == ']') {
                ++i;
                return;
            }
            std::size_t e = value_end(i);
            out.push_back({i, e});
            i = e;
            skip_ws();
            if (i < doc.size() && doc[i] == ',') {
                ++i;
            }
        }
    };
    skip_ws();
    if (i >= doc.size()) {
        throw InvalidInput("the GeoJSON input is empty");
    }
    if (doc[i] == '[') {
        array_items(i);
        return out;
    }
    if (doc[i] != '{') {
        throw InvalidInput("GeoJSON must start with '{' (a FeatureCollection or Feature)");
    }
    // A FeatureCollection: walk its top-level members to "features".
    std::size_t first_end = value_end(i);
    skip_ws();
    std::size_t after = first_end;
    while (after < doc.size() && std::isspace(static_cast<unsigned char>(doc[after]))) {
        ++after;
    }
    const bool sequence = after < doc.size() && (doc[after] == '{' || doc[after] == '\x1e');
    if (sequence) {
        for (;;) {
            skip_ws();
            if (i >= doc.size()) {
                break;
            }
            std::size_t e = value_end(i);
            if (e == i) { // a ',' where an object should start: no value, and no progress
                throw InvalidInput("malformed GeoJSON text sequence near byte " +
                                   std::to_string(i));
            }
            out.push_back({i, e});
            i = e;
        }
        return out;
    }
    std::size_t k = i + 1;
    for (;;) {
        i = k;
        skip_ws();
        if (i >= doc.size() || doc[i] == '}') {
            break;
        }
        if (doc[i] != '"') {
            throw InvalidInput("malformed GeoJSON object near byte " + std::to_string(i));
        }
        std::size_t key_end = value_end(i);
        std::string key = doc.substr(i + 1, key_end - i - 2);
        i = key_end;
        skip_ws();
        if (i >= doc.size() || doc[i] != ':') {
            throw InvalidInput("malformed GeoJSON object near byte " + std::to_string(i));
        }
        ++i;
        skip_ws();
        if (key == "features") {
            if (i >= doc.size() || doc[i] != '[') {
                throw InvalidInput("\"features\" must be an array");
            }
            array_items(i);
            return out;
        }
        if (key == "type" && doc.compare(i, 9, "\"Feature\"") == 0) {
            out.push_back({k - 1, first_end}); // a single Feature
            return out;
        }
        std::size_t e = value_end(i);
        i = e;
        skip_ws();
        if (i < doc.size() && doc[i] == ',') {
            ++i;
        }
        k = i;
    }
    throw InvalidInput("the GeoJSON object has no \"features\" array (expected a "
                       "FeatureCollection)");
}

} // namespace incidentmap::incidents::detail
