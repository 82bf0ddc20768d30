#pragma once
// Test support: a temp folder removed with everything in it when the object
// goes, and the store records unit tests build a small fleet from: a device
// the fleet cache can hold (a 16-character salt and a 64-character hash), a
// release of a version on a channel, and its audit line. Records are plain
// values; nothing here touches a store or fails a test.

#include <cstdint>
#include <filesystem>
#include <string>

#include "store/records.h"

namespace apiota::testing {

// A fresh, empty folder under the system's temp folder, named after `prefix`
// with a random suffix. Throws std::filesystem::filesystem_error when it
// cannot be created; the destructor removes it, ignoring failures.
class TempFolder {
 public:
  explicit TempFolder(const std::string& prefix);
  ~TempFolder();
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// A device of `project_id`, registered at `registered_at`, running 1.0.0 on
// the stable channel, whose secret digest is shaped as the store keeps one.
store::DeviceRecord device_record(const std::string& project_id, const std::string& device_id,
                                  std::int64_t registered_at = 1);

// An active release of `project_id` whose file name is unique to its
// version and channel (releases may share a digest, as promoted ones do).
store::ReleaseRecord release_record(const std::string& project_id, const std::string& version,
                                    domain::Channel channel = domain::Channel::Stable);

// The audit line of a release as Store::insert_release() inserts it:
// "release.upload" by "test" at its upload time, its subject naming its new id.
store::AuditRecord upload_audit(const store::ReleaseRecord& inserted);

}  // namespace apiota::testing
