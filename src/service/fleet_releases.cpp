// FleetAdministration's releases, pins and history (fleet_administration.h).
#include "service/fleet_administration.h"

#include <boost/json.hpp>

#include "service/blob_cleanup.h"
#include "service/changelog.h"
#include "service/pin_operations.h"

namespace apiota::service {

store::PinRecord FleetAdministration::set_pin(std::string_view project_id, domain::PinScope scope,
                                              std::string_view subject, std::string_view version,
                                              std::string_view actor) {
  store::PinRecord pin = service::set_pin(store_, env_, project_id, scope, subject, version, actor);
  changes_.note(project_id, ChangeKind::Audit);
  return pin;
}

void FleetAdministration::clear_pin(std::string_view project_id, domain::PinScope scope, std::string_view subject,
                                    std::string_view actor) {
  service::clear_pin(store_, env_, project_id, scope, subject, actor);
  changes_.note(project_id, ChangeKind::Audit);
}

std::vector<store::PinRecord> FleetAdministration::list_pins(std::string_view project_id) {
  return store_.list_pins(project_id);
}

store::ReleaseRecord FleetAdministration::change_release(std::string_view project_id, std::int64_t id,
                                                         const ReleaseChange& change, std::string_view actor,
                                                         std::string_view action) {
  store::ReleaseRecord changed = service::change_release(store_, env_, project_id, id, change, actor, action);
  changes_.note_release(project_id, id);
  return changed;
}

store::ReleaseRecord FleetAdministration::promote_release(std::string_view project_id, std::int64_t id,
                                                          std::string_view channel, std::string_view actor) {
  store::ReleaseRecord promoted = service::promote_release(store_, env_, project_id, id, channel, actor);
  changes_.note_release(project_id, promoted.id);
  return promoted;
}

store::ReleaseRecord FleetAdministration::delete_release(std::string_view project_id, std::int64_t id,
                                                         std::string_view actor) {
  // Under the commit lock, so an upload of the same bytes cannot commit its
  // file between the reference check and the removal.
  std::lock_guard lock(commit_mutex_);
  store::ReleaseRecord deleted = service::delete_release(store_, env_, project_id, id, actor);
  changes_.note_release(project_id, id);
  if (removal_ == FileRemoval::WithRelease) remove_unreferenced_blob(store_, blobs_, deleted.sha256);
  return deleted;
}

PublishedRelease FleetAdministration::publish_release(const store::ProjectRecord& project,
                                                      const ReleaseRequest& request, ReleaseFile& file,
                                                      std::string_view actor) {
  PublishedRelease published =
      service::publish_release({store_, blobs_, commit_mutex_, env_}, project, request, file, actor);
  changes_.note_release(project.id, published.release.id);
  return published;
}

std::vector<store::ReleaseRecord> FleetAdministration::list_releases(std::string_view project_id) {
  return store_.list_releases(project_id);
}

std::optional<store::ReleaseRecord> FleetAdministration::find_release(std::string_view project_id, std::int64_t id) {
  return store_.find_release(project_id, id);
}

boost::json::array FleetAdministration::changelog(std::string_view project_id) {
  return changelog_json(store_, project_id);
}

std::vector<store::AuditRecord> FleetAdministration::audit_log(std::string_view project_id, std::int64_t limit) {
  return store_.list_audit(project_id, limit);
}

std::vector<store::AuditRecord> FleetAdministration::audit_log(const store::AuditQuery& query) {
  return store_.find_audit(query);
}

}  // namespace apiota::service
