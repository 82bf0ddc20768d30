#include "cli/start_over.h"

#include <ctime>
#include <stdexcept>
#include <string>

#include "cli/data_folder_survey.h"
#include "cli/server_key_file.h"
#include "domain/printable.h"

namespace apiota::cli {
namespace {

std::string utc_stamp(std::chrono::system_clock::time_point now) {
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

bool key_is_well_formed(const std::filesystem::path& file) {
  try {
    return read_server_key(file).has_value();
  } catch (const MalformedKeyFile&) {
    return false;
  }
}

}  // namespace

SetAside set_aside_for_start_over(const std::filesystem::path& data, std::chrono::system_clock::time_point now) {
  const std::string suffix = ".before-init-" + utc_stamp(now);
  const DataFolderSurvey survey = survey_data_folder(data);
  SetAside moves;
  for (const char* log : {"", "-wal", "-shm"}) {
    auto from = data / (std::string("apiota.db") + log);
    if (std::filesystem::exists(std::filesystem::symlink_status(from))) {
      moves.emplace_back(from, data / ("apiota.db" + suffix + log));
    }
  }
  if (survey.key_file && !key_is_well_formed(data / "secret.key")) {
    moves.emplace_back(data / "secret.key", data / ("secret.key" + suffix));
  }
  if (survey.firmware_files > 0) moves.emplace_back(data / "firmware", data / ("firmware" + suffix));

  for (const auto& [from, to] : moves) {
    if (std::filesystem::exists(std::filesystem::symlink_status(to))) {
      throw std::runtime_error("cannot set " + domain::printable(from.string()) +
                               " aside: " + domain::printable(to.string()) + " already exists; try again in a second");
    }
  }
  for (const auto& [from, to] : moves) std::filesystem::rename(from, to);
  return moves;
}

}  // namespace apiota::cli
