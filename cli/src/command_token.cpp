#include "cli.hpp"
#include "incidentmap/api/tokens.hpp"

#include <iostream>

namespace incidentmap::cli {

namespace {

int run(const Args& args) {
    const auto& pos = args.positional();
    const std::string file = args.get_or("token-file", "data/tokens.txt");
    const std::string verb = pos.empty() ? "" : pos[0];
    const std::size_t wanted = verb == "list" ? 1 : 2;
    if ((verb != "add" && verb != "list" && verb != "revoke") || pos.size() != wanted) {
        args.usage_error("expected 'token add NAME', 'token list' or 'token revoke NAME'");
    }
    if (verb == "add") {
        const std::string token = api::add_token(file, pos[1]);
        std::cerr << "[token] '" << pos[1] << "' added to " << file
                  << "; the token, shown this once (only its SHA-256 is kept):\n";
        std::cout << token << "\n";
    } else if (verb == "list") {
        for (const auto& e : api::read_token_file(file)) {
            std::cout << e.name << "\n";
        }
    } else if (!api::revoke_token(file, pos[1])) {
        throw NotFound("no token named '" + pos[1] + "' in " + file);
    } else {
        std::cerr << "[token] '" << pos[1] << "' revoked (a running server reads " << file
                  << " when it starts: restart it)\n";
    }
    return 0;
}

} // namespace

const Command& token_command() {
    static const Command c{
        "token",
        "add, list or revoke the tokens that may write",
        "add NAME | list | revoke NAME [--token-file FILE]",
        {{"token-file", "FILE",
          "the token file (default data/tokens.txt); serve --token-file reads it"}},
        "add makes a random token, prints it once on standard output and keeps only its SHA-256\n"
        "under NAME (the file is made readable by its owner only). Clients send it as\n"
        "'Authorization: Bearer TOKEN'; a copy of the file opens nothing.\n",
        run};
    return c;
}

} // namespace incidentmap::cli
