#include "cli/release_upload_command.h"

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/administration.h"
#include "cli/commands.h"
#include "cli/data_folder.h"
#include "cli/output.h"
#include "cli/stage_syntax.h"
#include "crypto/digest.h"
#include "service/audit.h"
#include "service/key_issuer.h"
#include "service/release_publication.h"
#include "service/render.h"

namespace apiota::cli {
namespace {

constexpr std::size_t kReadChunkBytes = 64 * 1024;

struct UploadArgs {
  DataLocation data;
  std::string project = std::string(service::kDefaultProjectId), file, version, channel = "stable", notes;
  bool paused = false;
  double percent = 100;
  std::vector<std::string> stages;
};

// What the operator asked for, checked before anything is read or stored.
service::ReleaseRequest request_of(const UploadArgs& args, bool percent_given) {
  service::ReleaseRequest request;
  request.version = service::release_version(args.version);
  request.channel = service::release_channel(args.channel);
  request.start.state = args.paused ? domain::ReleaseState::Paused : domain::ReleaseState::Active;
  if (percent_given) request.start.rollout_percent = args.percent;
  for (const auto& text : args.stages) request.start.stages.push_back(parse_stage(text));
  request.start.notes = args.notes;
  request.start = service::checked_release_start(std::move(request.start));
  return request;
}

void upload(const UploadArgs& args, bool percent_given) {
  const service::ReleaseRequest request = request_of(args, percent_given);
  DataFolder data = DataFolder::open_existing(args.data);
  auto admin = administration(data);
  auto project = admin.find_project(args.project);
  if (!project) throw std::invalid_argument("no project " + args.project);

  std::ifstream in(args.file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + args.file);
  blob::PendingBlob pending = data.blobs->create_pending();
  crypto::Digest sha256(crypto::DigestKind::Sha256);
  crypto::Digest md5(crypto::DigestKind::Md5);
  std::vector<char> buffer(kReadChunkBytes);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    const std::string_view chunk(buffer.data(), static_cast<std::size_t>(in.gcount()));
    service::check_firmware_size(project->plan, pending.size() + chunk.size());
    pending.write(chunk);
    sha256.update(chunk);
    md5.update(chunk);
  }
  if (in.bad()) throw std::runtime_error("cannot read " + args.file);

  service::ReleaseFile file{pending, crypto::to_hex(sha256.finish()), crypto::to_hex(md5.finish())};
  const auto published = admin.publish_release(*project, request, file, service::kCliActor);
  printer().record(service::render(published));
}

}  // namespace

void add_release_upload_command(CLI::App& releases) {
  auto args = std::make_shared<UploadArgs>();
  auto* cmd = releases.add_subcommand(
      "upload", "publish a release from a firmware .bin, like POST /api/firmware/upload (prints the release)");
  cmd->add_option("FILE", args->file, "the firmware: an ESP32 app image (.bin)")->required();
  cmd->add_option("--version", args->version, "the release's version, e.g. 1.2.0")->required();
  cmd->add_option("--channel", args->channel, "stable (default), beta or dev");
  cmd->add_flag("--paused", args->paused, "start paused: offered to no device until `releases resume`");
  auto* percent = cmd->add_option("--percent", args->percent,
                                  "start at this share of eligible devices: 0..100 in steps of 0.01 (default 100)");
  cmd->add_option("--stages", args->stages,
                  "start on a schedule instead: PERCENT[:MIN_DURATION_S[:MIN_SUCCESSES]],... e.g. 1:3600:10,100")
      ->delimiter(',');
  cmd->add_option("--notes", args->notes, "release notes (markdown, at most 64 KiB)");
  cmd->add_option("--project", args->project, "project id (default: default)");
  add_data_option(cmd, args->data);
  cmd->callback([args, percent] { upload(*args, percent->count() > 0); });
}

}  // namespace apiota::cli
