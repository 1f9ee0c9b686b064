#include "cli.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"
#include "incidentmap/geo/types.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    if (args.positional().empty()) {
        args.usage_error(args.flag("reverse") ? "no point given" : "no name given");
    }
    // Options are checked before any file is opened: a mistake is told as what it is.
    const auto limit = static_cast<std::size_t>(args.integer("limit", 5, 1, 1000));
    auto gz = gazetteer::Gazetteer::open(args.get_or("gazetteer", "data/gazetteer.sqlite"));
    nlohmann::json out;
    if (args.flag("reverse")) {
        auto p = geo::parse_lonlat(args.positional().front());
        auto r = gz.reverse(p);
        if (r.place) {
            out["place"] = {{"id", r.place->id},
                            {"name", r.place->name},
                            {"distance_km", r.distance_m / 1000.0}};
        }
        if (r.admin1) {
            out["admin1"] = {{"code", r.admin1->admin1_key()}, {"name", r.admin1->name}};
        }
        if (r.country) {
            out["country"] = {{"code", r.country->country}, {"name", r.country->name}};
        }
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    std::string name;
    for (const auto& p : args.positional()) {
        name += (name.empty() ? "" : " ") + p;
    }
    gazetteer::LookupOptions opt;
    opt.limit = limit;
    opt.country = args.get_or("country", "");
    if (auto n = args.get("near")) {
        opt.near = geo::parse_lonlat(*n);
    }
    auto m = args.get_or("match", "any");
    using M = gazetteer::LookupOptions::Match;
    opt.match = m == "exact"    ? M::exact
                : m == "prefix" ? M::prefix
                : m == "fuzzy"  ? M::fuzzy
                                : M::any;
    if (m != "exact" && m != "prefix" && m != "fuzzy" && m != "any") {
        throw InvalidInput("--match must be exact, prefix, fuzzy or any");
    }
    auto cands = gz.lookup(name, opt);
    out["query"] = name;
    out["candidates"] = nlohmann::json::array();
    for (const auto& c : cands) {
        const auto& p = *c.place;
        nlohmann::json j = {{"id", p.id},
                            {"name", p.name},
                            {"lat", p.point.lat},
                            {"lon", p.point.lon},
                            {"kind", gazetteer::kind_name(p)},
                            {"feature_code", p.feature_code},
                            {"country", p.country},
                            {"admin1", p.admin1_key()},
                            {"population", p.population},
                            {"score", c.score},
                            {"reason", c.reason}};
        if (p.is_geonames()) {
            j["geonameid"] = p.id;
        }
        out["candidates"].push_back(j);
    }
    std::cout << out.dump(2) << "\n";
    return cands.empty() ? 3 : 0;
}

} // namespace

const Command& geocode_command() {
    static const Command c{
        "geocode",
        "print the candidate places for a name as JSON, best first",
        "NAME [options] | --reverse LON,LAT",
        {{"gazetteer", "FILE", "the gazetteer (default data/gazetteer.sqlite)"},
         {"limit", "N", "at most N candidates (default 5)"},
         {"country", "CC", "only places in this country (ISO 3166-1 alpha-2)"},
         {"match", "M", "exact, prefix, fuzzy or any (default any)"},
         {"near", "LON,LAT", "prefer places near this point"},
         {"reverse", "", "the place, region and country at the point LON,LAT instead"}},
        "Exit code 3 when nothing matches.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
