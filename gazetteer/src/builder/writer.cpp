// The gazetteer file (SQLite): what Gazetteer::open() reads back (gazetteer.cpp).

#include "builder/build_steps.hpp"

#include "incidentmap/gazetteer/normalize.hpp"
#include "incidentmap/geo/geojson.hpp"
#include "incidentmap/sqlite/sqlite.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace incidentmap::gazetteer::detail {

namespace {

namespace fs = std::filesystem;
using sqlite::Database;

constexpr int schema_version = 1;

// A normalised name and the index of its place, the top bit set when it is a primary name.
using NameRow = std::pair<std::string, std::uint32_t>;
constexpr std::uint32_t primary_bit = 0x80000000u;
constexpr std::uint32_t index_bits = 0x7fffffffu;

void create_tables(Database& db) {
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=16384;");
    db.exec(R"(
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE places(idx INTEGER PRIMARY KEY, id INTEGER NOT NULL, name TEXT NOT NULL,
            lon REAL NOT NULL, lat REAL NOT NULL, fclass TEXT, fcode TEXT, country TEXT,
            admin1 TEXT, admin2 TEXT, population INTEGER, kind INTEGER NOT NULL);
        CREATE TABLE names(norm TEXT NOT NULL, place INTEGER NOT NULL, is_primary INTEGER NOT NULL);
        CREATE TABLE shapes(country TEXT PRIMARY KEY, geojson TEXT NOT NULL);
        CREATE TABLE words(word TEXT PRIMARY KEY) WITHOUT ROWID;
    )");
}

void write_meta(Database& db, const BuildInputs& inputs) {
    auto ins_meta = db.prepare("INSERT INTO meta VALUES(?,?)");
    auto meta = [&](const std::string& k, const std::string& v) {
        ins_meta.bind(1, k).bind(2, v).run();
    };
    meta("schema_version", std::to_string(schema_version));
    meta("built", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()));
    std::string sources;
    for (const auto& p : inputs.places) {
        sources += fs::path(p).filename().string() + " ";
    }
    meta("sources", sources);
    meta("attribution", "Place data (c) GeoNames (geonames.org), CC BY 4.0; country boundaries: "
                        "Natural Earth (public domain)" +
                            std::string(inputs.us_atlas.empty()
                                            ? ""
                                            : "; US state and county outlines: U.S. Census Bureau "
                                              "(public domain)"));
}

void write_places(Database& db, const std::vector<Entry>& entries) {
    auto ins_place = db.prepare("INSERT INTO places VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& p = entries[i].place;
        ins_place.bind(1, static_cast<std::int64_t>(i))
            .bind(2, p.id)
            .bind(3, p.name)
            .bind(4, p.point.lon)
            .bind(5, p.point.lat)
            .bind(6, std::string(1, p.feature_class))
            .bind(7, p.feature_code)
            .bind(8, p.country)
            .bind(9, p.admin1)
            .bind(10, p.admin2)
            .bind(11, p.population)
            .bind(12, static_cast<int>(p.kind))
            .run();
    }
}

// Every entry's names, normalised (over-long and empty ones left out). The primary names are an
// entry's first one and, for a populated place, its second (usually GeoNames' ASCII spelling).
std::vector<NameRow> normalised_names(const std::vector<Entry>& entries, const Reporter& say) {
    std::vector<NameRow> names;
    names.reserve(entries.size() * 8);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& e = entries[i];
        for (std::size_t k = 0; k < e.names.size(); ++k) {
            if (e.names[k].size() > 200) {
                continue;
            }
            std::string norm = normalize_name(e.names[k]);
            if (norm.empty()) {
                continue;
            }
            bool primary = k == 0 || (k == 1 && e.place.kind == PlaceKind::place);
            names.emplace_back(std::move(norm),
                               static_cast<std::uint32_t>(i) | (primary ? primary_bit : 0u));
        }
        if (i % 50000 == 0 && i > 0) {
            say("  normalised names of " + std::to_string(i) + " places");
        }
    }
    return names;
}

// Writes the names sorted by name and place, once per name and place (primary if any of the
// duplicates is); returns how many were written.
std::size_t write_names(Database& db, std::vector<NameRow>& names) {
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) {
            return a.first < b.first;
        }
        return (a.second & index_bits) < (b.second & index_bits) ||
               ((a.second & index_bits) == (b.second & index_bits) && a.second > b.second);
    });
    auto ins_name = db.prepare("INSERT INTO names VALUES(?,?,?)");
    std::size_t written = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0 && names[i].first == names[i - 1].first &&
            (names[i].second & index_bits) == (names[i - 1].second & index_bits)) {
            continue; // same name, same place (the primary one sorted first)
        }
        ins_name.bind(1, names[i].first)
            .bind(2, static_cast<std::int64_t>(names[i].second & index_bits))
            .bind(3, (names[i].second & primary_bit) ? 1 : 0)
            .run();
        ++written;
    }
    return written;
}

void write_shapes_and_words(Database& db, const BuildState& state) {
    auto ins_shape = db.prepare("INSERT INTO shapes VALUES(?,?)");
    for (const auto& [iso2, shape] : state.shapes) {
        std::string gj;
        geo::append_geometry(gj, geo::Geometry{shape});
        ins_shape.bind(1, iso2).bind(2, gj).run();
    }
    auto ins_word = db.prepare("INSERT OR IGNORE INTO words VALUES(?)");
    for (const auto& w : state.words) {
        ins_word.bind(1, w).run();
    }
}

} // namespace

void write_gazetteer(const BuildState& state, const BuildInputs& inputs, const std::string& path,
                     const Reporter& say) {
    fs::remove(path);
    Database db(path, Database::Mode::read_write_create);
    create_tables(db);
    sqlite::Transaction tx(db);
    write_meta(db, inputs);
    write_places(db, state.entries);
    auto names = normalised_names(state.entries, say);
    const auto written = write_names(db, names);
    write_shapes_and_words(db, state);
    tx.commit();
    say("  wrote " + std::to_string(state.entries.size()) + " places, " + std::to_string(written) +
        " names, " + std::to_string(state.shapes.size()) + " country shapes, " +
        std::to_string(state.words.size()) + " common words");
}

} // namespace incidentmap::gazetteer::detail
