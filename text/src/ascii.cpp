#include "incidentmap/text/ascii.hpp"

namespace incidentmap::text {

std::string lower_ascii(std::string_view word) {
    std::string s(word);
    for (auto& c : s) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c + 32);
        }
    }
    return s;
}

} // namespace incidentmap::text
