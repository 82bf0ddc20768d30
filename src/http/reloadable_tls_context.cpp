#include "http/reloadable_tls_context.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "http/tls_ticket_keys.h"

namespace apiota::http {
namespace {

std::optional<struct stat> stat_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return st;
}

}  // namespace

ReloadableTlsContext::ReloadableTlsContext(TlsFiles files)
    : files_(std::move(files)),
      tickets_(std::make_shared<TlsTicketKeys>(std::chrono::duration_cast<std::chrono::seconds>(kTlsTicketKeyRotation),
                                               std::chrono::duration_cast<std::chrono::seconds>(kTlsSessionLifetime))) {
  tried_ = identify();
  current_.store(make_tls_context(files_, tickets_));
}

ReloadableTlsContext::~ReloadableTlsContext() = default;

std::shared_ptr<boost::asio::ssl::context> ReloadableTlsContext::current() const { return current_.load(); }

std::string ReloadableTlsContext::describe() const { return describe_certificate(*current_.load()); }

bool ReloadableTlsContext::reload(std::string_view why) {
  std::lock_guard lock(reload_mutex_);
  return load(why, identify());
}

bool ReloadableTlsContext::reload_if_changed() {
  std::lock_guard lock(reload_mutex_);
  const std::optional<FilesIdentity> now = identify();
  const bool settled = now && now == last_check_;
  last_check_ = now;
  if (!settled || now == tried_) return false;
  return load("the files changed", now);
}

bool ReloadableTlsContext::load(std::string_view why, const std::optional<FilesIdentity>& identity) {
  tried_ = identity;
  try {
    auto context = make_tls_context(files_, tickets_);
    current_.store(context);
    spdlog::info("TLS certificate reloaded ({}): new connections get {}; connections open keep the previous one",
                 why, describe_certificate(*context));
    return true;
  } catch (const TlsSetupError& e) {
    spdlog::error("TLS certificate reload refused ({}): {}; still serving {}", why, e.what(),
                  describe_certificate(*current_.load()));
    return false;
  }
}

std::optional<ReloadableTlsContext::FilesIdentity> ReloadableTlsContext::identify() const {
  auto cert = stat_file(files_.cert_file);
  auto key = stat_file(files_.key_file);
  if (!cert || !key) return std::nullopt;
  auto identity = [](const struct stat& st) {
    return FileIdentity{st.st_dev, st.st_ino, st.st_size,
                        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
  };
  return FilesIdentity{identity(*cert), identity(*key)};
}

}  // namespace apiota::http
