#include "support/fleet_records.h"

#include <random>
#include <system_error>

namespace apiota::testing {

TempFolder::TempFolder(const std::string& prefix)
    : path_(std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(std::random_device{}()))) {
  std::filesystem::create_directories(path_);
}

TempFolder::~TempFolder() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

store::DeviceRecord device_record(const std::string& project_id, const std::string& device_id,
                                  std::int64_t registered_at) {
  store::DeviceRecord d;
  d.device_id = device_id;
  d.project_id = project_id;
  d.secret_salt = "0123456789abcdef";
  d.secret_hash = std::string(64, 'e');
  d.registered_at = registered_at;
  d.firmware_version = "1.0.0";
  return d;
}

store::ReleaseRecord release_record(const std::string& project_id, const std::string& version,
                                    domain::Channel channel) {
  store::ReleaseRecord r;
  r.project_id = project_id;
  r.version = version;
  r.channel = channel;
  r.filename = "fw-" + project_id + "-" + version + "-" + std::string(domain::to_string(channel)) + ".bin";
  r.sha256 = std::string(64, 'a');
  return r;
}

store::AuditRecord upload_audit(const store::ReleaseRecord& inserted) {
  return {0, inserted.project_id, "test", "release.upload", "release:" + std::to_string(inserted.id), "null", "{}",
          inserted.uploaded_at};
}

}  // namespace apiota::testing
