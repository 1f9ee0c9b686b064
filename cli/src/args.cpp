#include "cli.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace incidentmap::cli {

namespace {

const Option* find_option(const Command& c, std::string_view name) {
    auto it = std::find_if(c.options.begin(), c.options.end(),
                           [&](const Option& o) { return o.name == name; });
    return it == c.options.end() ? nullptr : &*it;
}

} // namespace

Args::Args(int argc, char** argv, int first, const Command& command) : m_command(&command) {
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            m_help = true;
            return;
        }
        if (a.rfind("--", 0) != 0 || a.size() == 2) {
            m_positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name.resize(eq);
        }
        const Option* o = find_option(command, name);
        if (o == nullptr) {
            throw InvalidInput("unknown option --" + name + " (see 'incidentmap help " +
                               std::string(command.name) + "')");
        }
        if (o->value.empty()) {
            if (inline_value) {
                throw InvalidInput("option --" + name + " takes no value");
            }
            m_flags.insert(name);
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= argc) {
                throw InvalidInput("option --" + name + " needs a value (" + std::string(o->value) +
                                   ")");
            }
            inline_value = argv[++i];
        }
        if (!o->repeats && m_values.count(name)) {
            throw InvalidInput("option --" + name + " is given twice");
        }
        m_values.emplace(name, *inline_value);
    }
}

std::optional<std::string> Args::get(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> out;
    auto [b, e] = m_values.equal_range(name);
    for (auto it = b; it != e; ++it) {
        out.push_back(it->second);
    }
    return out;
}

long long Args::integer(const std::string& name, long long fallback, long long min,
                        long long max) const {
    auto v = get(name);
    if (!v) {
        return fallback;
    }
    long long n = 0;
    const char* end = v->data() + v->size();
    auto [p, ec] = std::from_chars(v->data(), end, n);
    if (ec != std::errc() || p != end || n < min || n > max) {
        throw InvalidInput("option --" + name + " expects a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max) + ", not '" + *v +
                           "'");
    }
    return n;
}

void Args::usage_error(const std::string& what) const {
    throw InvalidInput(what + "\nusage: incidentmap " + std::string(m_command->name) + " " +
                       std::string(m_command->synopsis) + " (see 'incidentmap help " +
                       std::string(m_command->name) + "')");
}

std::string source_dir() {
    if (const char* env = std::getenv("INCIDENTMAP_HOME")) {
        return env;
    }
    return INCIDENTMAP_SOURCE_DIR;
}

std::string read_input(const std::string& path) {
    std::ostringstream ss;
    if (path == "-") {
        ss << std::cin.rdbuf();
        return ss.str();
    }
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) {
        throw NotFound("cannot read '" + path + "'");
    }
    ss << in.rdbuf();
    return ss.str();
}

} // namespace incidentmap::cli
