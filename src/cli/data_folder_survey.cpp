#include "cli/data_folder_survey.h"

#include <system_error>

namespace apiota::cli {
namespace {

std::optional<std::uintmax_t> size_of(const std::filesystem::path& file) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  if (ec == std::errc::no_such_file_or_directory) return std::nullopt;
  if (ec) throw std::filesystem::filesystem_error("cannot examine", file, ec);
  return size;
}

bool present(const std::filesystem::path& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    throw std::filesystem::filesystem_error("cannot examine", path, ec);
  }
  return std::filesystem::exists(status);
}

std::size_t entries_in(const std::filesystem::path& dir) {
  if (!present(dir)) return 0;
  std::size_t count = 0;
  for (auto it = std::filesystem::directory_iterator(dir); it != std::filesystem::directory_iterator(); ++it) ++count;
  return count;
}

}  // namespace

DataFolderSurvey survey_data_folder(const std::filesystem::path& data) {
  DataFolderSurvey survey;
  survey.database_bytes = size_of(data / "apiota.db");
  survey.wal_bytes = size_of(data / "apiota.db-wal").value_or(0);
  survey.key_file = present(data / "secret.key");
  survey.firmware_files = entries_in(data / "firmware");
  return survey;
}

}  // namespace apiota::cli
