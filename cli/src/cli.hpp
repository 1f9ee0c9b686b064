#pragma once

// Command-line parsing shared by the subcommands: "--key value", "--flag", positionals.

#include "incidentmap/error.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace incidentmap::cli {

class Args {
public:
    /// Parses argv from `first`; `flags` take no value, `options` take one, `multi` may repeat.
    /// Throws InvalidInput for an unknown or incomplete option.
    Args(int argc, char** argv, int first, std::set<std::string> flags,
         std::set<std::string> options, std::set<std::string> multi = {});

    [[nodiscard]] bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    [[nodiscard]] std::string get_or(const std::string& name, const std::string& fallback) const;
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
    [[nodiscard]] const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::set<std::string> m_flags;
    std::multimap<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

/// The folder with the project's sources (web/, node_modules/) for defaults.
std::string source_dir();

/// Reads a whole file or, for "-", standard input. Throws NotFound.
std::string read_input(const std::string& path);

/// Commands; each returns the process exit code.
int command_serve(int argc, char** argv);
int command_gazetteer(int argc, char** argv);
int command_geocode(int argc, char** argv);
int command_geoparse(int argc, char** argv);
int command_ingest(int argc, char** argv);
int command_export(int argc, char** argv);
int command_import(int argc, char** argv);
int command_migrate(int argc, char** argv);

} // namespace incidentmap::cli
