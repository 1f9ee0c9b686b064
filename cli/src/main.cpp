// incidentmap: one binary, one subcommand per file (command_<name>.cpp), each described by one
// table (cli.hpp). Exceptions are caught here and only here, each turned into a message and an
// exit code.

#include "cli.hpp"
#include "incidentmap/api/problem.hpp"

#include <cstring>
#include <iostream>

namespace {

using incidentmap::cli::Command;

void usage(std::ostream& out) {
    out << "incidentmap " INCIDENTMAP_VERSION " - news incidents on a map\n\n"
           "usage: incidentmap <command> [options]\n"
           "       incidentmap help <command>    (or: incidentmap <command> --help)\n\n"
           "commands:\n";
    for (const Command* c : incidentmap::cli::commands()) {
        std::string name(c->name);
        name.resize(12, ' ');
        out << "  " << name << c->summary << "\n";
    }
    out << "  help        this text, or a command's\n\n"
           "Place data (c) GeoNames, CC BY 4.0. Boundaries: Natural Earth (public domain).\n";
}

bool is_help(const char* arg) {
    return std::strcmp(arg, "help") == 0 || std::strcmp(arg, "--help") == 0 ||
           std::strcmp(arg, "-h") == 0;
}

// `incidentmap help [COMMAND]`.
int help(int argc, char** argv) {
    if (argc < 3) {
        usage(std::cout);
        return 0;
    }
    if (const Command* c = incidentmap::cli::find_command(argv[2])) {
        std::cout << incidentmap::cli::help_text(*c);
        return 0;
    }
    std::cerr << "incidentmap: unknown command '" << argv[2] << "'\n\n";
    usage(std::cerr);
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    using namespace incidentmap;
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    if (is_help(argv[1])) {
        return help(argc, argv);
    }
    if (std::strcmp(argv[1], "--version") == 0) {
        std::cout << "incidentmap " INCIDENTMAP_VERSION "\n";
        return 0;
    }
    const std::string name = argv[1];
    const Command* command = cli::find_command(name);
    if (command == nullptr) {
        std::cerr << "incidentmap: unknown command '" << name << "'\n\n";
        usage(std::cerr);
        return 2;
    }
    try {
        cli::Args args(argc, argv, 2, *command);
        if (args.help()) {
            std::cout << cli::help_text(*command);
            return 0;
        }
        return command->run(args);
    } catch (const std::exception& e) {
        std::cerr << "incidentmap " << name << ": error: " << e.what() << "\n";
        return api::exit_code_for(e);
    }
}
