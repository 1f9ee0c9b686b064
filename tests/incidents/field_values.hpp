#pragma once

// An incident with every field set to a value of its own, and a comparison field by field: round
// trips (through get/set, the GeoJSON Feature, the stores, the files) that fail when a field is
// lost on the way.

#include "incidentmap/incidents/fields.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <string>

namespace incidentmap::test {

/// An incident whose every field holds a value that no other field holds and that is no
/// default, valid to store. `variant` gives another such set; `text_tail` ends every free text
/// (one that needs escaping takes the GeoJSON writer's general path).
inline incidents::Incident every_field_set(int variant = 0, const std::string& text_tail = "") {
    using namespace incidents;
    Incident i;
    for (const auto& f : fields) {
        const auto k = static_cast<int>(index_of(f.field));
        char stamp[32];
        std::snprintf(stamp, sizeof stamp, "2022-03-30T1%d:%02d:00Z", variant % 10, k);
        const std::string text = std::string(f.name) + " " + std::to_string(variant) + text_tail;
        // The object's text, which v.text views.
        const std::string object =
            nlohmann::json{{"tag", text}, {"inter1", k + variant}, {"civilian", true}}.dump();
        FieldValue v;
        v.integer = 100 + 30 * variant + k;
        v.number = 0.125 * (k + 1) + variant;
        switch (f.type) {
        case FieldType::text:
            v.text = text;
            break;
        case FieldType::date:
            v.text = variant ? "2021-12-31" : "2022-03-29";
            break;
        case FieldType::time:
            v.text = variant ? "23:59" : "14:30";
            break;
        case FieldType::timestamp:
            v.text = stamp;
            break;
        case FieldType::object:
            // Compact, as the readers write it: a string (escaped as the text needs), a
            // number and a boolean.
            v.text = object;
            break;
        case FieldType::integer:
        case FieldType::number:
            break;
        }
        set_field(i, f.field, v);
    }
    // What ACLED and the model constrain.
    i.event_type = variant ? "Battles" : "Explosions/Remote violence";
    i.sub_event_type = variant ? "Armed clash" : "Shelling/artillery/missile attack";
    i.country = variant ? "SY" : "UA";
    i.time_precision = 2 + variant % 2;
    i.geo_precision = 3 - variant % 2;
    i.point = {30.5 + variant, 50.25 - variant};
    i.confidence = 0.875 - 0.25 * (variant % 2);
    return i;
}

/// Expects each field of `got` to equal `want`'s, but those `skip` selects.
inline void expect_fields_equal(
    const incidents::Incident& got, const incidents::Incident& want, const std::string& where,
    const std::function<bool(const incidents::FieldInfo&)>& skip = [](const auto&) {
        return false;
    }) {
    using namespace incidents;
    for (const auto& f : fields) {
        if (skip(f)) {
            continue;
        }
        const FieldValue a = get_field(got, f.field);
        const FieldValue b = get_field(want, f.field);
        EXPECT_EQ(a.null, b.null) << f.name << " in " << where;
        if (a.null || b.null) {
            continue;
        }
        if (is_textual(f.type)) {
            EXPECT_EQ(a.text, b.text) << f.name << " in " << where;
        } else if (f.type == FieldType::integer) {
            EXPECT_EQ(a.integer, b.integer) << f.name << " in " << where;
        } else {
            EXPECT_DOUBLE_EQ(a.number, b.number) << f.name << " in " << where;
        }
    }
}

} // namespace incidentmap::test
