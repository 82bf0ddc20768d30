#include "service/device_service.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <span>
#include <vector>

#include "domain/release_decision.h"
#include "domain/update_attempt.h"
#include "service/api_error.h"
#include "service/attempt_tracking.h"
#include "service/credential_hash.h"
#include "service/firmware_url.h"

namespace apiota::service {
namespace {

// The device as the decision sees it, from the project's catalog: channel,
// the secure_version of the image it runs (known when its version was
// released here), and its pins (a device pin, else the first tag pin among
// `tags`).
domain::DeviceView device_view(const ProjectCatalog& catalog, std::string_view device_id,
                               const domain::SemVer& current, domain::Channel channel,
                               std::vector<std::string> tags) {
  domain::DeviceView device;
  device.device_id = std::string(device_id);
  device.current = current;
  device.channel = channel;
  device.tags = std::move(tags);
  for (const auto& view : catalog.views) {
    if (domain::same_precedence(view.version, current)) {
      device.current_secure_version = std::max(device.current_secure_version.value_or(0), view.secure_version);
    }
  }
  for (const auto& pin : catalog.pins) {
    auto version = domain::parse_semver(pin.version);
    if (!version) continue;
    if (pin.scope == domain::PinScope::Device && pin.subject == device_id) device.device_pin = domain::DevicePin{*version};
    if (pin.scope == domain::PinScope::Tag && !device.tag_pin &&
        std::find(device.tags.begin(), device.tags.end(), pin.subject) != device.tags.end()) {
      device.tag_pin = domain::DevicePin{*version};
    }
  }
  return device;
}

}  // namespace

DeviceService::DeviceService(store::Store& store, blob::BlobStore& blobs, const crypto::KeyedHasher& hasher,
                             const Settings& settings, env::Env& env, AccessControl& access,
                             RolloutService& rollouts, ChangeFeed& changes)
    : store_(store),
      blobs_(blobs),
      hasher_(hasher),
      settings_(settings),
      env_(env),
      access_(access),
      rollouts_(rollouts),
      changes_(changes),
      fleet_(store, env),
      seen_(store, settings.seen_flush_interval) {}

void DeviceService::limit_address(std::string_view address) { access_.limit_address(address); }

AuthenticatedDevice DeviceService::authenticate(const DeviceCredentials& credentials, std::string_view address) {
  const auto& [device_id, secret] = credentials;
  const std::uint64_t epoch = fleet_.device_epoch(device_id);
  // Before the store is read: a locked-out device costs no lookup.
  access_.refuse_if_device_locked(device_id, address);
  auto device = store_.find_device(device_id);
  if (!device) throw ApiError(ErrorCode::DeviceNotFound, "device_id not registered");
  if (!device_secret_matches(hasher_, *device, secret)) {
    access_.count_wrong_device_secret(*device, address);
    throw ApiError(ErrorCode::InvalidSecret, "device_secret does not match");
  }
  access_.note_device_authenticated(device_id, address);
  if (device->blocked) throw ApiError(ErrorCode::DeviceBlocked, "this device is blocked");
  if (settings_.rate_limit) {
    auto project = store_.find_project(device->project_id);
    access_.limit_device(device->device_id, project ? project->plan : settings_.default_plan);
  }
  return {std::move(*device), false, nullptr, epoch};
}

std::optional<AuthenticatedDevice> DeviceService::recognize(std::string_view device_id,
                                                            std::optional<std::string_view> secret) {
  fleet_.sync();
  auto entry = fleet_.find_device(device_id);
  if (!entry) return std::nullopt;
  auto catalog = fleet_.find_catalog(entry->project_id);
  if (!catalog) return std::nullopt;
  // authenticate() counts a wrong secret and answers a device with failures
  // on record (locked out or not) before comparing its secret.
  if (access_.device_has_failures(device_id)) return std::nullopt;
  if (!secret || !crypto::constant_time_equal(hash_device_secret(hasher_, entry->salt(), *secret), entry->hash())) {
    return std::nullopt;
  }
  // Built in place: the record is large, and this runs for every poll.
  std::optional<AuthenticatedDevice> device(std::in_place);
  device->record.row_id = entry->row_id;
  device->record.device_id = std::string(device_id);
  device->record.project_id = entry->project_id;
  device->record.channel = entry->channel;
  device->record.blocked = entry->blocked;
  device->from_memory = true;
  device->catalog = std::move(catalog);
  return device;
}

void DeviceService::admit(const AuthenticatedDevice& device) {
  if (device.record.blocked) throw ApiError(ErrorCode::DeviceBlocked, "this device is blocked");
  access_.limit_device(device.record.device_id, device.catalog->project.plan);
}

UpdateOffer DeviceService::check_update(const AuthenticatedDevice& device, const domain::SemVer& current,
                                        std::string_view address,
                                        const std::function<std::string()>& url_base) {
  const store::DeviceRecord& dev = device.record;
  const std::int64_t now = env_.now_ms();
  seen_.record({dev.row_id, current.to_string(), now, std::string(address)});

  UpdateOffer offer;
  domain::DeviceView view;
  const domain::Channel channel = dev.channel;
  if (device.from_memory) {
    // Settled: no tags, no update in progress, nothing refused.
    offer.catalog = device.catalog;
    view = device_view(*offer.catalog, dev.device_id, current, channel, {});
  } else {
    fleet_.sync();
    offer.catalog = fleet_.load_catalog(dev.project_id);
    if (!offer.catalog) throw ApiError(ErrorCode::DeviceNotFound, "the device's project no longer exists");
    std::vector<std::string> tags = store_.device_tags(dev.device_id);
    fleet_.offer_device(dev, !tags.empty(), device.cache_epoch);
    view = device_view(*offer.catalog, dev.device_id, current, channel, std::move(tags));
    follow_attempt(dev, *offer.catalog, current, now, view);
  }

  const domain::Decision decision = domain::decide_release(view, offer.catalog->views);
  if (decision.kind == domain::Decision::Kind::NoUpdate) return offer;
  offer.release = offer.catalog->record(decision.release_id);
  if (offer.release == nullptr) return offer;
  offer.rollback = decision.kind == domain::Decision::Kind::Rollback;
  offer.url = download_url(settings_, hasher_, url_base(), offer.release->filename, dev.device_id, now / 1000);
  return offer;
}

// Ends the device's open update attempt when this poll shows how it went
// (domain::end_for_poll), and tells the decision what is still in progress
// and which releases the device's bootloader rolled back from.
void DeviceService::follow_attempt(const store::DeviceRecord& dev, const ProjectCatalog& catalog,
                                   const domain::SemVer& current, std::int64_t now, domain::DeviceView& view) {
  view.refused_release_ids = dev.rolled_back_release_ids;
  auto open = open_attempt_of(dev);
  if (!open) return;
  const store::ReleaseRecord* release = catalog.record(open->release.id);
  const std::chrono::seconds stuck_after(release == nullptr ? 3600 : release->stuck_after_s);
  const auto end = domain::end_for_poll(
      open, current, std::chrono::system_clock::time_point(std::chrono::milliseconds(now)), stuck_after);
  if (!end) {
    if (domain::is_in_progress(open->status)) view.update_in_progress = open->release.id;
    return;
  }
  store::AttemptWrite write{now, dev.open_attempt->id, *end, {}, {}};
  if (*end == domain::AttemptEnd::RolledBack) {
    view.refused_release_ids.push_back(open->release.id);
    spdlog::warn("device {}: bootloader rollback from release {} ({}) to {}; it will not be offered again",
                 dev.device_id, open->release.id, open->release.version.to_string(), current.to_string());
  }
  if (*end == domain::AttemptEnd::Succeeded) {
    if (!store_.apply_attempt_write(write)) return;
  } else {
    // A failure the device did not report itself goes into its OTA log.
    store_.append_ota_log(unreported_failure_log(*dev.open_attempt, *end, current.to_string(), now), std::nullopt,
                          write);
  }
  changes_.note(dev.project_id, ChangeKind::Ota, std::span(&open->release.id, 1));
  rollouts_.attempt_ended(dev.project_id, open->release.id, *end, now);
}

OtaReceipt DeviceService::report_ota(const AuthenticatedDevice& device, const OtaReport& report) {
  const store::DeviceRecord& dev = device.record;
  store::OtaLogRecord log;
  log.device_id = dev.device_id;
  log.project_id = dev.project_id;
  log.status = report.status;
  log.from_version = report.from_version;
  log.to_version = report.to_version;
  log.message = report.message;
  log.received_at = env_.now_ms();
  std::optional<std::string_view> new_version;
  if (report.status == domain::OtaStatus::Done && report.to_version) new_version = *report.to_version;

  // Follow the device's update attempt (domain/update_attempt.h).
  const auto open = open_attempt_of(dev);
  std::optional<domain::AttemptRelease> named;
  const auto target = report.to_version ? domain::parse_semver(*report.to_version) : std::nullopt;
  if (target && (domain::is_in_progress(report.status) || domain::is_terminal(report.status))) {
    fleet_.sync();
    auto catalog = fleet_.load_catalog(dev.project_id);
    const std::span<const store::ReleaseRecord> releases =
        catalog ? std::span<const store::ReleaseRecord>(catalog->records) : std::span<const store::ReleaseRecord>();
    if (const auto* release = release_named_by(releases, dev, *target, open)) {
      named = domain::AttemptRelease{release->id, domain::parse_semver(release->version).value_or(*target)};
    }
  }
  const domain::AttemptStep step = domain::step_for_report(open, report.status, named);
  const std::int64_t id = store_.append_ota_log(
      log, new_version, attempt_write(step, dev, log.status, report.from_version, log.received_at));
  // A device with an attempt is no longer settled (service/fleet_cache.h).
  if (step.start) fleet_.forget_device(dev.device_id);
  std::vector<std::int64_t> release_ids;
  if (open) release_ids.push_back(open->release.id);
  if (step.start) release_ids.push_back(step.start->release.id);
  changes_.note(dev.project_id, ChangeKind::Ota, release_ids);
  if (step.end_open && open) {
    rollouts_.attempt_ended(dev.project_id, open->release.id, *step.end_open, log.received_at);
  }
  if (step.start && step.start->ended) {
    rollouts_.attempt_ended(dev.project_id, step.start->release.id, *step.start->ended, log.received_at);
  }
  return {id, std::string(domain::to_string(log.status)), log.received_at};
}

DeviceConfig DeviceService::config(const AuthenticatedDevice& device) {
  return effective_config(store_, device.record.project_id, device.record.device_id);
}

std::size_t DeviceService::flush_polls() { return seen_.flush(); }

void DeviceService::stop() { seen_.stop(); }

}  // namespace apiota::service
