#include "service/firmware_files.h"

#include <mutex>
#include <stdexcept>
#include <string>

#include "crypto/digest.h"

namespace apiota::service {

void share_firmware(blob::BlobStore& blobs, store::Store& store, std::string_view sha256) {
  store::FirmwareCopies* copies = store.firmware_copies();
  if (copies == nullptr) return;
  auto blob = blobs.open(sha256);
  if (!blob) throw store::StoreError("the uploaded firmware " + std::string(sha256) + " is not in the folder");
  copies->put_firmware(sha256, blob::FileByteSource(blob->fd.get(), blob->size));
}

std::shared_ptr<const blob::OpenBlob> open_firmware(blob::BlobStore& blobs, store::Store& store,
                                                    std::string_view sha256) {
  if (auto local = blobs.open(sha256)) return local;
  store::FirmwareCopies* copies = store.firmware_copies();
  if (copies == nullptr) return nullptr;
  static std::mutex fetching;
  std::lock_guard lock(fetching);
  if (auto fetched_meanwhile = blobs.open(sha256)) return fetched_meanwhile;
  blob::PendingBlob pending = blobs.create_pending();
  crypto::Digest digest(crypto::DigestKind::Sha256);
  const bool stored = copies->read_firmware(sha256, [&](std::span<const std::uint8_t> piece) {
    pending.write(std::string_view(reinterpret_cast<const char*>(piece.data()), piece.size()));
    digest.update(piece);
  });
  if (!stored) return nullptr;
  if (crypto::to_hex(digest.finish()) != sha256) {
    throw std::runtime_error("the store's copy of firmware " + std::string(sha256) + " does not match its digest");
  }
  blobs.commit(pending, sha256);
  return blobs.open(sha256);
}

}  // namespace apiota::service
