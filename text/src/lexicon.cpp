#include "incidentmap/text/lexicon.hpp"

namespace incidentmap::text {

const std::unordered_set<std::string_view>& abbreviations() {
    static const std::unordered_set<std::string_view> s = {
        // titles and ranks
        "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj",
        "gov", "sen", "rep", "pres", "rev", "hon", "jr", "sr",
        // months
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        // places and addresses
        "st", "ft", "mt", "ave", "blvd", "rd",
        // organisations
        "inc", "co", "corp", "ltd", "dept",
        // the rest, dotted ones as the sentence splitter sees them
        "no", "vs", "approx", "est", "u.s", "u.n", "e.g", "i.e", "a.m", "p.m"};
    return s;
}

} // namespace incidentmap::text
