#pragma once

#include <stdexcept>
#include <string>

namespace incidentmap {

/// Base of every exception incidentmap throws. Caught in main() and in the HTTP error handler.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Thrown when input from a user (a parameter, a file, a request body) is not acceptable.
/// The message says what is wrong and how to fix it. Maps to HTTP 400 / CLI exit code 2.
class InvalidInput : public Error {
public:
    using Error::Error;
};

/// Thrown when a write collides with what is stored (a source_id already taken). A kind of
/// invalid input, so the CLI exits 2 as before; HTTP answers 409 instead of 400.
class Conflict : public InvalidInput {
public:
    using InvalidInput::InvalidInput;
};

/// Thrown when something asked for does not exist (an id, a file). HTTP 404 / exit code 3.
class NotFound : public Error {
public:
    using Error::Error;
};

/// Thrown when a storage backend or data file fails (I/O, SQL, corrupt file). HTTP 500 / exit 4.
class StorageError : public Error {
public:
    using Error::Error;
};

/// Thrown when a write finds no room: the disk holding a file (or the process's file size
/// limit) is full. A kind of storage error, so the CLI exits 4; HTTP answers 507.
class StorageFull : public StorageError {
public:
    using StorageError::StorageError;
};

/// Thrown when a backend is temporarily unreachable (the database went away), locked by another
/// writer, or read-only. HTTP 503 with Retry-After / exit 5.
class Unavailable : public Error {
public:
    using Error::Error;
};

} // namespace incidentmap
