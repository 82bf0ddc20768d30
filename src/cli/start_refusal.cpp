#include "cli/start_refusal.h"

#include <unistd.h>

#include <string>

#include "domain/printable.h"

namespace apiota::cli {
namespace {

std::string shown(const std::filesystem::path& path) { return domain::printable(path.string()); }

std::string refusing(const std::filesystem::path& data) {
  return "refusing to use the data folder " + shown(data) + ": ";
}

// The two ways out of every StartRefusal; `restore` says what to restore.
std::string ways_out(const std::filesystem::path& data, const std::string& restore) {
  return "\nTo recover, stop every apiota process using " + shown(data) + ", then either\n  - " + restore +
         ", or\n  - run `apiota serve --init --data " + shown(data) +
         "` to start over: it moves apiota.db, the firmware files and a malformed secret.key aside (names "
         "ending in .before-init-<time>; nothing is deleted), creates a new database and prints a new admin key; "
         "devices must register again.\nSee \"Start-up refusals\" in docs/operations.md.";
}

std::string restore_database(const std::filesystem::path& data) {
  return "restore " + shown(data / "apiota.db") + " from a backup (delete " + shown(data / "apiota.db-wal") + " and " +
         shown(data / "apiota.db-shm") + " if they exist)";
}

}  // namespace

StartRefusal database_missing(const std::filesystem::path& data, const DataFolderSurvey& survey) {
  std::string held;
  auto add = [&](const std::string& what) { held += (held.empty() ? "" : ", ") + what; };
  if (survey.key_file) add("secret.key");
  if (survey.firmware_files > 0) {
    add(std::to_string(survey.firmware_files) + (survey.firmware_files == 1 ? " firmware file" : " firmware files"));
  }
  if (survey.wal_bytes > 0) add("apiota.db-wal");
  std::string state = survey.database_bytes ? "is empty (0 bytes)" : "is missing";
  return StartRefusal(refusing(data) + shown(data / "apiota.db") + " " + state + ", but the folder holds " + held +
                      " from an earlier install. Starting as a new install would lock out every device and API "
                      "key and treat that firmware as unreferenced." +
                      ways_out(data, restore_database(data)));
}

StartRefusal database_damaged(const std::filesystem::path& data, std::string_view reason) {
  return StartRefusal(refusing(data) + shown(data / "apiota.db") + " is not a usable apiota database (" +
                      std::string(reason) + ")." + ways_out(data, restore_database(data)));
}

StartRefusal key_missing(const std::filesystem::path& data) {
  return StartRefusal(refusing(data) + shown(data / "secret.key") + " is missing, but " + shown(data / "apiota.db") +
                      " holds an install. Every device secret and API key in it is stored as a digest keyed with "
                      "the server key: with a new key every device and key would get 401." +
                      ways_out(data, "restore " + shown(data / "secret.key") + " from the backup made with " +
                                         shown(data / "apiota.db")));
}

StartRefusal key_malformed(const std::filesystem::path& data, std::string_view reason) {
  return StartRefusal(refusing(data) + std::string(reason) + "." +
                      ways_out(data, "restore " + shown(data / "secret.key") + " from the backup made with " +
                                         shown(data / "apiota.db")));
}

StartRefusal key_mismatch(const std::filesystem::path& data) {
  return StartRefusal(refusing(data) + shown(data / "secret.key") + " is not the server key " +
                      shown(data / "apiota.db") +
                      " was made with (their fingerprints differ): with it every device and API key would get 401." +
                      ways_out(data,
                               "put back the secret.key that belongs with this apiota.db (or the apiota.db "
                               "that belongs with this secret.key)"));
}

StartRefusal shared_key_mismatch(const std::filesystem::path& data, bool created) {
  const std::string problem =
      created ? "there is no server key in " + shown(data) + ", and the PostgreSQL store already belongs to one"
              : shown(data / "secret.key") + " is not the server key the PostgreSQL store was made with (their "
                                             "fingerprints differ)";
  return StartRefusal(refusing(data) + problem +
                      ". Every node of a store needs the same key: copy secret.key from a node that serves this "
                      "store into " + shown(data) + " (mode 0600).");
}

std::runtime_error database_unreachable(const std::filesystem::path& data, std::string_view reason) {
  return std::runtime_error(std::string(reason) + "\napiota reads and writes " + shown(data) +
                            " and every file in it as uid " + std::to_string(::geteuid()) +
                            ": check the permissions, and that the file system is writable.");
}

std::runtime_error nothing_to_start_over(const std::filesystem::path& data) {
  return std::runtime_error("--init: " + shown(data / "apiota.db") + " is readable and was made with " +
                            shown(data / "secret.key") +
                            "; there is nothing to start over, and --init never sets a healthy install aside. "
                            "Start without --init.");
}

}  // namespace apiota::cli
