#pragma once
// Making text from outside the program (file names, SQLite messages that
// quote a database's own contents) safe to put into a message for a
// terminal or a log.

#include <string>
#include <string_view>

namespace apiota::domain {

// `text` with every byte that is not part of printable UTF-8 written as
// \xNN: invalid or truncated UTF-8 sequences, overlong forms, surrogates,
// C0 and C1 control characters and DEL. A backslash is written as \\ so an
// escape in the output is never ambiguous. Printable ASCII and valid UTF-8
// characters pass unchanged.
std::string printable(std::string_view text);

}  // namespace apiota::domain
