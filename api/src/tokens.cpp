#include "incidentmap/api/tokens.hpp"

#include "incidentmap/error.hpp"
#include "incidentmap/incidents/incident.hpp"
#include "incidentmap/text/ascii.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

namespace incidentmap::api {

namespace {

constexpr std::string_view digest_prefix = "sha256:";

bool valid_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

bool is_hex_digest(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

// One line of a token file; nullopt for a blank line or a comment.
std::optional<TokenEntry> parse_line(std::string_view line, std::size_t number,
                                     const std::string& path) {
    line = text::trim_space(line);
    if (line.empty() || line.front() == '#') {
        return std::nullopt;
    }
    const std::string where = "token file '" + path + "' line " + std::to_string(number);
    const auto space = line.find(' ');
    if (space != std::string_view::npos) {
        const auto name = line.substr(0, space);
        const auto value = text::trim_space(line.substr(space + 1));
        if (!valid_name(name) || value.substr(0, digest_prefix.size()) != digest_prefix ||
            !is_hex_digest(value.substr(digest_prefix.size()))) {
            throw InvalidInput(where + ": expected NAME sha256:HEX (64 hex digits)");
        }
        return TokenEntry{std::string(name), std::string(value.substr(digest_prefix.size()))};
    }
    if (line.size() < min_token_length) {
        throw InvalidInput(where + ": a token must be at least " +
                           std::to_string(min_token_length) + " characters long");
    }
    return TokenEntry{"line " + std::to_string(number), token_digest(line)};
}

void write_entries(const std::string& path, const std::vector<std::string>& lines) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) {
            throw StorageError("cannot write '" + tmp + "'");
        }
        for (const auto& l : lines) {
            out << l << '\n';
        }
        if (!out.flush()) {
            throw StorageError("cannot write '" + tmp + "'");
        }
    }
    ::chmod(tmp.c_str(), S_IRUSR | S_IWUSR);
    std::filesystem::rename(tmp, path); // whole or not at all
}

std::vector<std::string> file_lines(const std::string& path) {
    std::vector<std::string> lines;
    std::ifstream in(path);
    for (std::string l; std::getline(in, l);) {
        lines.push_back(l);
    }
    return lines;
}

std::string random_token() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        throw StorageError("no random bytes for a token (OpenSSL RAND_bytes failed)");
    }
    std::string out;
    char hex[3];
    for (unsigned char b : bytes) {
        std::snprintf(hex, sizeof hex, "%02x", b);
        out += hex;
    }
    return out;
}

} // namespace

std::string token_digest(std::string_view token) {
    return incidents::text_sha256(token);
}

std::vector<TokenEntry> read_token_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw NotFound("cannot read token file '" + path + "'");
    }
    std::vector<TokenEntry> out;
    std::size_t number = 0;
    for (std::string line; std::getline(in, line);) {
        if (auto e = parse_line(line, ++number, path)) {
            out.push_back(std::move(*e));
        }
    }
    return out;
}

std::string add_token(const std::string& path, const std::string& name) {
    if (!valid_name(name)) {
        throw InvalidInput("a token's name is one word of letters, digits, '-', '_' or '.' (at "
                           "most 64); got '" +
                           name.substr(0, 64) + "'");
    }
    if (std::filesystem::exists(path)) {
        for (const auto& e : read_token_file(path)) {
            if (e.name == name) {
                throw InvalidInput("there is a token named '" + name +
                                   "' already (revoke it "
                                   "first)");
            }
        }
    }
    std::string token = random_token();
    auto lines = file_lines(path);
    lines.push_back(name + " " + std::string(digest_prefix) + token_digest(token));
    write_entries(path, lines);
    return token;
}

bool revoke_token(const std::string& path, const std::string& name) {
    const auto lines = file_lines(path);
    std::vector<std::string> kept;
    bool found = false;
    std::size_t number = 0;
    for (const auto& l : lines) {
        const auto e = parse_line(l, ++number, path);
        if (e && e->name == name) {
            found = true;
        } else {
            kept.push_back(l);
        }
    }
    if (found) {
        write_entries(path, kept);
    }
    return found;
}

} // namespace incidentmap::api
