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

std::string upper_ascii(std::string_view word) {
    std::string s(word);
    for (auto& c : s) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 32);
        }
    }
    return s;
}

std::string_view trim_space(std::string_view s) noexcept {
    constexpr std::string_view space = " \t\n\v\f\r";
    const auto first = s.find_first_not_of(space);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(space) - first + 1);
}

} // namespace incidentmap::text
