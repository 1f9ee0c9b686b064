#include "builder/build_types.hpp"

namespace incidentmap::gazetteer::detail {

std::int64_t BuildState::add(Entry entry) {
    auto id = entry.place.id;
    auto it = by_id.find(id);
    if (it != by_id.end()) {
        auto& names = entries[it->second].names;
        names.insert(names.end(), entry.names.begin(), entry.names.end());
        return id;
    }
    by_id.emplace(id, entries.size());
    entries.push_back(std::move(entry));
    return id;
}

std::int64_t synthetic_id(std::string_view key) noexcept {
    // FNV-1a, 31 bits, negated (and odd, so never 0).
    std::uint32_t h = 2166136261u;
    for (char c : key) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return -static_cast<std::int64_t>((h & 0x7fffffffu) | 1u);
}

} // namespace incidentmap::gazetteer::detail
