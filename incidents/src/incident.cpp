#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/error.hpp"

#include <nlohmann/json.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>

namespace incidentmap::incidents {

const std::vector<std::pair<std::string, std::vector<std::string>>>& event_types() {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> t = {
        {"Battles",
         {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
        {"Explosions/Remote violence",
         {"Chemical weapon", "Air/drone strike", "Suicide bomb",
          "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"}},
        {"Violence against civilians",
         {"Sexual violence", "Attack", "Abduction/forced disappearance"}},
        {"Protests",
         {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
        {"Riots", {"Violent demonstration", "Mob violence"}},
        {"Strategic developments",
         {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
          "Headquarters or base established", "Looting/property destruction",
          "Non-violent transfer of territory", "Other"}},
    };
    return t;
}

bool is_event_type(const std::string& type) {
    const auto& t = event_types();
    return std::any_of(t.begin(), t.end(), [&](const auto& e) { return e.first == type; });
}

bool is_sub_event_type(const std::string& sub) {
    for (const auto& [type, subs] : event_types()) {
        if (std::find(subs.begin(), subs.end(), sub) != subs.end()) {
            return true;
        }
    }
    return false;
}

bool is_iso_date(const std::string& d) {
    int y = 0, m = 0, day = 0;
    char tail = 0;
    if (d.size() != 10 || d[4] != '-' || d[7] != '-' ||
        std::sscanf(d.c_str(), "%4d-%2d-%2d%c", &y, &m, &day, &tail) != 3) {
        return false;
    }
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
        if (d[i] < '0' || d[i] > '9') {
            return false;
        }
    }
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || day < 1) {
        return false;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return day <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

namespace {

// Attributes are written into features as they are stored: they must be one JSON object, at
// most max_attributes_bytes (a row's few extra columns, not a document).
void validate_attributes(const std::string& text) {
    if (text.size() > max_attributes_bytes) {
        throw InvalidInput("attributes are larger than " + std::to_string(max_attributes_bytes) +
                           " bytes");
    }
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        throw InvalidInput("attributes must be one JSON object");
    }
    // Flat, as a file's columns are: nothing nested for a reader (or dump) to recurse into.
    for (const auto& [key, value] : j.items()) {
        if (value.is_structured()) {
            throw InvalidInput("attribute '" + key.substr(0, 60) +
                               "' must be a string, number, boolean or null");
        }
    }
    if (j.dump() != text) {
        throw InvalidInput("attributes must be compact JSON (as nlohmann::json::dump writes it)");
    }
}

} // namespace

void validate(const Incident& i) {
    if (!is_iso_date(i.event_date)) {
        throw InvalidInput("event_date must be a date YYYY-MM-DD, got '" +
                           i.event_date.substr(0, 40) + "'");
    }
    if (!is_event_type(i.event_type)) {
        throw InvalidInput("event_type '" + i.event_type.substr(0, 60) +
                           "' is not one of ACLED's six event types");
    }
    if (!i.sub_event_type.empty() && !is_sub_event_type(i.sub_event_type)) {
        throw InvalidInput("sub_event_type '" + i.sub_event_type.substr(0, 60) +
                           "' is not an ACLED sub-event type");
    }
    if (!i.point.valid()) {
        throw InvalidInput(
            "coordinates must be finite, lon within [-180,180], lat within [-90,90]");
    }
    if (i.geo_precision < 1 || i.geo_precision > 3) {
        throw InvalidInput("geo_precision must be 1, 2 or 3");
    }
    if (i.fatalities < 0 || i.injured < 0) {
        throw InvalidInput("fatalities and injured cannot be negative");
    }
    if (i.confidence < 0.0 || i.confidence > 1.0 || i.confidence != i.confidence) {
        throw InvalidInput("confidence must be within [0, 1]");
    }
    if (i.time_precision < 1 || i.time_precision > 3) {
        throw InvalidInput("time_precision must be 1, 2 or 3");
    }
    if (i.attributes) {
        validate_attributes(*i.attributes);
    }
}

std::string text_digest(const std::string& text) {
    auto fnv = [&](std::uint64_t h) {
        for (unsigned char c : text) {
            h ^= c;
            h *= 1099511628211ull;
        }
        return h;
    };
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%016llx",
                  static_cast<unsigned long long>(fnv(14695981039346656037ull)),
                  static_cast<unsigned long long>(fnv(0x9e3779b97f4a7c15ull)));
    return buf;
}

std::string text_sha256(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw Error("SHA-256 is not available (OpenSSL)");
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * static_cast<std::size_t>(size));
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(hex[digest[i] >> 4]);
        out.push_back(hex[digest[i] & 0xF]);
    }
    return out;
}

} // namespace incidentmap::incidents
