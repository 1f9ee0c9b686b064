// The incident's field table against the model: every member of Incident has its field and every
// field its own member; values go through get/set, the views of a Feature's rendering and the
// Feature itself unchanged; the Feature has the table's properties in the table's order.

#include "incidents/field_values.hpp"

#include "incidentmap/incidents/feature.hpp"
#include "incidentmap/incidents/fields.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <utility>

namespace {

using namespace incidentmap;
using incidents::Field;
using incidents::FieldInfo;
using incidents::FieldType;
using incidents::Incident;

// Converts to anything: brace-initialising an aggregate with n of these compiles when it has
// at least n members (each is initialised by conversion, never by brace elision).
struct AnyValue {
    template <typename T> operator T() const; // NOLINT: only in unevaluated operands
};

template <typename T, std::size_t... K> constexpr bool initializable(std::index_sequence<K...>) {
    return requires {
        T{(static_cast<void>(K), AnyValue{})...};
    };
}

// The number of members of an aggregate.
template <typename T, std::size_t N = 0> constexpr std::size_t member_count() {
    if constexpr (initializable<T>(std::make_index_sequence<N + 1>{})) {
        return member_count<T, N + 1>();
    } else {
        return N;
    }
}

// With the address test below: Incident has no member that no field reaches (besides the
// point, whose coordinates are the fields lon and lat, and the evidence, a list).
TEST(FieldTable, HasAFieldForEveryMemberOfIncident) {
    std::size_t properties = 0;
    for (const auto& f : incidents::fields) {
        properties += f.geometry ? 0 : 1;
    }
    EXPECT_EQ(member_count<Incident>(), properties + 2)
        << "a member of Incident has no row in incidents::fields (or a row no member)";
}

// Each field reaches a member of its own: the point's coordinates for lon and lat, one of the
// other members for the others.
TEST(FieldTable, EachFieldHasAMemberOfItsOwn) {
    Incident i;
    const auto* begin = reinterpret_cast<const char*>(&i);
    const auto* point = reinterpret_cast<const char*>(&i.point);
    std::set<const void*> seen;
    incidents::for_each_field([&]<Field F>() {
        const auto* at = reinterpret_cast<const char*>(&incidents::member<F>(i));
        const bool in_point = at >= point && at < point + sizeof i.point;
        EXPECT_EQ(in_point, incidents::info(F).geometry) << incidents::info(F).name;
        EXPECT_TRUE(at >= begin && at < begin + sizeof i) << incidents::info(F).name;
        EXPECT_NE(static_cast<const void*>(at), static_cast<const void*>(&i.evidence));
        EXPECT_TRUE(seen.insert(at).second) << incidents::info(F).name << " shares a member";
    });
    EXPECT_EQ(seen.size(), incidents::field_count);
}

TEST(FieldTable, NamesAreUniqueAndFoundByName) {
    std::set<std::string_view> names;
    for (const auto& f : incidents::fields) {
        EXPECT_TRUE(names.insert(f.name).second) << f.name;
        ASSERT_NE(incidents::find_field(f.name), nullptr) << f.name;
        EXPECT_EQ(incidents::find_field(f.name)->field, f.field);
        EXPECT_FALSE(f.description.empty()) << f.name;
        EXPECT_FALSE(f.assigned && f.geometry) << f.name;
    }
    EXPECT_EQ(incidents::find_field("evidence"), nullptr);
    EXPECT_EQ(incidents::acled_or_own_name(Field::source_id), "event_id_cnty");
    EXPECT_EQ(incidents::acled_or_own_name(Field::injured), "injured");
}

// set_field changes its field's member and no other; get_field reads it back.
TEST(FieldTable, SetAndGetReachTheFieldsOwnValue) {
    const Incident all = test::every_field_set();
    for (const auto& f : incidents::fields) {
        Incident i;
        incidents::set_field(i, f.field, incidents::get_field(all, f.field));
        test::expect_fields_equal(i, all, "the field set",
                                  [&](const FieldInfo& g) { return g.field != f.field; });
        test::expect_fields_equal(i, Incident{}, "the fields besides " + std::string(f.name),
                                  [&](const FieldInfo& g) { return g.field == f.field; });
    }
    Incident i = all;
    incidents::set_field(i, Field::event_time, {.null = true});
    incidents::set_field(i, Field::geonameid, {.null = true});
    EXPECT_FALSE(i.event_time);
    EXPECT_FALSE(i.geonameid);
    EXPECT_TRUE(incidents::get_field(i, Field::event_time).null);
}

// The views a Feature is rendered from give back the incident they view.
TEST(FieldTable, ViewsOfAnIncidentGiveItBack) {
    for (const Incident& want : {test::every_field_set(), test::every_field_set(1), Incident{}}) {
        const auto views = incidents::detail::fields_of(want);
        Incident got = test::every_field_set(2);
        incidents::detail::assign_fields(got, views);
        test::expect_fields_equal(got, want, "assign_fields(fields_of)");
        EXPECT_EQ(views.point().lon, want.point.lon);
        EXPECT_EQ(views.evidence.data(), want.evidence.data());
    }
}

// The Feature's properties are the table's (but the point's coordinates, which are its
// geometry), in the table's order with the evidence before the store's timestamps; each of the
// JSON type of its field and with its value (numbers to 3 decimals). Both paths through the
// writer: plain strings, and strings that need escaping.
void expect_feature_of(const Incident& i, const std::string& where) {
    const auto j = nlohmann::ordered_json::parse(incidents::incident_feature(i));
    EXPECT_EQ(j["id"], i.id) << where;
    EXPECT_EQ(j["geometry"]["coordinates"][0].get<double>(), i.point.lon) << where;
    EXPECT_EQ(j["geometry"]["coordinates"][1].get<double>(), i.point.lat) << where;
    std::vector<std::string> want;
    for (const auto& f : incidents::fields) {
        if (f.field == Field::created) {
            want.emplace_back("evidence");
        }
        if (!f.geometry) {
            want.emplace_back(f.name);
        }
    }
    std::vector<std::string> got;
    for (const auto& [key, value] : j["properties"].items()) {
        got.push_back(key);
    }
    ASSERT_EQ(got, want) << where;
    for (const auto& f : incidents::fields) {
        if (f.geometry) {
            continue;
        }
        const auto& value = j["properties"][std::string(f.name)];
        const auto v = incidents::get_field(i, f.field);
        if (v.null) {
            EXPECT_TRUE(value.is_null()) << f.name << " in " << where;
        } else if (f.type == FieldType::object) {
            ASSERT_TRUE(value.is_object()) << f.name << " in " << where;
            EXPECT_EQ(value.dump(), v.text) << f.name << " in " << where;
        } else if (incidents::is_textual(f.type)) {
            ASSERT_TRUE(value.is_string()) << f.name << " in " << where;
            EXPECT_EQ(value.get<std::string>(), v.text) << f.name << " in " << where;
        } else if (f.type == FieldType::integer) {
            ASSERT_TRUE(value.is_number_integer()) << f.name << " in " << where;
            EXPECT_EQ(value.get<std::int64_t>(), v.integer) << f.name << " in " << where;
        } else {
            ASSERT_TRUE(value.is_number()) << f.name << " in " << where;
            EXPECT_NEAR(value.get<double>(), v.number, 5e-4) << f.name << " in " << where;
        }
    }
}

TEST(Feature, HasTheTablesPropertiesInTheTablesOrder) {
    Incident i = test::every_field_set();
    i.evidence.push_back({7, 1, 9, "It happened."});
    expect_feature_of(i, "plain strings");
    expect_feature_of(test::every_field_set(1, " \"Київ\"\n"), "strings to escape");
    Incident nulls = test::every_field_set();
    nulls.event_time.reset();
    nulls.geonameid.reset();
    expect_feature_of(nulls, "null fields");
    expect_feature_of(Incident{}, "an empty incident");
}

} // namespace
