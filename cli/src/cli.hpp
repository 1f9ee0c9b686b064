#pragma once

// The command line: each subcommand is one Command (command_<name>.cpp), whose table of options
// both parses its arguments and writes its help text, so that the two cannot disagree.

#include "incidentmap/error.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::cli {

/// One option of a command: `--name VALUE`, or a flag `--name` when `value` is empty.
struct Option {
    std::string_view name;
    std::string_view value; ///< what the value is ("FILE", "N"); empty for a flag
    std::string_view help;  ///< one line; "(default ...)" where there is one
    bool repeats = false;   ///< may be given more than once
};

class Args;

/// A subcommand of `incidentmap`.
struct Command {
    std::string_view name;
    std::string_view summary;  ///< one line, for `incidentmap help`
    std::string_view synopsis; ///< what follows "incidentmap NAME" in the usage line
    std::vector<Option> options;
    std::string_view notes;            ///< paragraphs after the options (may be empty)
    int (*run)(const Args&) = nullptr; ///< returns the exit code
};

/// Every command, in the order `incidentmap help` lists them.
const std::vector<const Command*>& commands();

/// The command of that name, or nullptr.
const Command* find_command(std::string_view name);

/// What `incidentmap help NAME` and `incidentmap NAME --help` print.
std::string help_text(const Command& command);

/// The arguments of one command, parsed against its options. Not thread-safe.
class Args {
public:
    /// Parses argv from `first`: `--name value`, `--name=value`, flags, positionals; `--help`
    /// or `-h` anywhere sets help() instead of checking the rest. Throws InvalidInput for an
    /// unknown option, one without its value, or one given twice that may not repeat.
    Args(int argc, char** argv, int first, const Command& command);

    [[nodiscard]] const Command& command() const noexcept { return *m_command; }
    [[nodiscard]] bool help() const noexcept { return m_help; }
    [[nodiscard]] bool flag(const std::string& name) const { return m_flags.count(name) > 0; }
    [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
    [[nodiscard]] std::string get_or(const std::string& name, const std::string& fallback) const;
    [[nodiscard]] std::vector<std::string> all(const std::string& name) const;
    [[nodiscard]] const std::vector<std::string>& positional() const { return m_positional; }

    /// The option's value as a whole number within [min, max], or `fallback` when it is not
    /// given. Throws InvalidInput naming the option, what it expects and what it got.
    [[nodiscard]] long long integer(const std::string& name, long long fallback, long long min,
                                    long long max) const;

    /// Throws InvalidInput with the command's usage line and `what` when a check fails.
    [[noreturn]] void usage_error(const std::string& what) const;

private:
    const Command* m_command;
    bool m_help = false;
    std::set<std::string> m_flags;
    std::multimap<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
};

/// The folder with the project's sources (web/, node_modules/) for defaults.
std::string source_dir();

/// Reads a whole file or, for "-", standard input. Throws NotFound.
std::string read_input(const std::string& path);

/// The commands, one per file.
const Command& serve_command();
const Command& gazetteer_command();
const Command& geocode_command();
const Command& geoparse_command();
const Command& ingest_command();
const Command& export_command();
const Command& import_command();
const Command& migrate_command();
const Command& openapi_command();
const Command& token_command();

} // namespace incidentmap::cli
