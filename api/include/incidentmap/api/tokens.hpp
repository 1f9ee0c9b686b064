#pragma once

// Write tokens as the server keeps them: a name and the SHA-256 of the token, never the token
// itself, so that a copied token file (a backup, a leaked config) opens nothing. The token is
// shown once, when `incidentmap token add` makes it.

#include <string>
#include <string_view>
#include <vector>

namespace incidentmap::api {

/// One token of a token file.
struct TokenEntry {
    std::string name;   ///< who holds it, for `token list` and `token revoke`
    std::string digest; ///< hex SHA-256 of the token's text
};

/// The shortest token accepted: shorter ones are guessable.
inline constexpr std::size_t min_token_length = 16;

/// The digest a token is kept as.
std::string token_digest(std::string_view token);

/// The tokens of a token file: lines "NAME sha256:HEX"; blank lines and lines starting with #
/// are skipped. A line of a bare token (a file written by hand, or before tokens were hashed)
/// is hashed as it is read, named "line N". Throws NotFound when the file cannot be read and
/// InvalidInput for a malformed line or a bare token shorter than min_token_length.
std::vector<TokenEntry> read_token_file(const std::string& path);

/// Makes a random token named `name`, adds its digest to the file (created with mode 0600
/// when missing) and returns the token, which nothing keeps. Throws InvalidInput when the name
/// is taken or not one word of letters, digits, '-', '_' or '.'.
std::string add_token(const std::string& path, const std::string& name);

/// Removes the token named `name` from the file; false when there is none.
bool revoke_token(const std::string& path, const std::string& name);

} // namespace incidentmap::api
