#pragma once
// The TLS context new connections handshake with, replaced without a restart
// when the certificate changes (docs/tls.md, "Rotating the certificate"):
// on SIGHUP (reload()) and when the files change on disk
// (reload_if_changed(), called every kTlsFileCheckInterval). A connection
// keeps the context it started with until it ends, so one in flight
// finishes on the old certificate. Files that cannot serve (unreadable, a
// key that is not the certificate's, expired) are refused with an error
// log line and the current certificate stays in service. Every context
// shares one TlsTicketKeys, so tickets issued before a reload still resume.
//
// Thread-safe: current() from any I/O thread, reloads from anywhere (they
// are serialised).

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "http/tls_context.h"

namespace apiota::http {

inline constexpr std::chrono::seconds kTlsFileCheckInterval{2};

class TlsTicketKeys;

class ReloadableTlsContext {
 public:
  // Builds the first context; throws TlsSetupError.
  explicit ReloadableTlsContext(TlsFiles files);
  ~ReloadableTlsContext();

  // The context for a new connection; hold the pointer until it ends.
  std::shared_ptr<boost::asio::ssl::context> current() const;

  // Builds a context from the files as they are now; `why` ("SIGHUP") goes
  // into the log line. Returns whether new connections now use it.
  bool reload(std::string_view why);

  // Reloads when a file differs from what was last read (another inode, as
  // when a new file is renamed in or a symlink repointed, or another size
  // or modification time) and has not changed since the previous call, so a
  // file still being written is not read half-way. Files that were refused
  // are not tried again until they change once more. Returns whether new
  // connections now use a new context.
  bool reload_if_changed();

  // "subject, valid until DATE" of the certificate new connections get.
  std::string describe() const;

 private:
  struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t modified_ns = 0;
    bool operator==(const FileIdentity&) const = default;
  };
  struct FilesIdentity {
    FileIdentity cert, key;
    bool operator==(const FilesIdentity&) const = default;
  };
  std::optional<FilesIdentity> identify() const;
  bool load(std::string_view why, const std::optional<FilesIdentity>& identity);

  const TlsFiles files_;
  const std::shared_ptr<TlsTicketKeys> tickets_;
  std::atomic<std::shared_ptr<boost::asio::ssl::context>> current_;
  std::mutex reload_mutex_;
  std::optional<FilesIdentity> tried_;       // the files last read, served or refused
  std::optional<FilesIdentity> last_check_;  // what the previous reload_if_changed() saw
};

}  // namespace apiota::http
