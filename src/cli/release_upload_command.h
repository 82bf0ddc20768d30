#pragma once
// `apiota releases upload FILE --version V [--channel C] [--paused]
// [--percent P | --stages S,...] [--notes TEXT] [--project ID]`: publishes a
// release from a firmware file on disk through service::publish_release(),
// the implementation behind POST /api/firmware/upload, so it applies the
// same validation, image checks, plan limit, warnings and audit entry (actor
// "cli"). Every option is checked before the file is read, and the file is
// refused as soon as it outgrows the plan's limit; a refused upload leaves
// no release and no firmware file. Prints the release with its "warnings"
// as one JSON line. Works while a server runs on the same data folder.

#include <CLI/CLI.hpp>

namespace apiota::cli {

// Adds `upload` to the `releases` subcommand.
void add_release_upload_command(CLI::App& releases);

}  // namespace apiota::cli
