#include "service/firmware_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

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

std::uint64_t copy_firmware(blob::BlobStore& blobs, store::FirmwareCopies& copies, std::string_view sha256) {
  auto blob = blobs.open(sha256);
  if (!blob) throw std::runtime_error(fmt::format("the data folder has no firmware file {}", sha256));
  const blob::FileByteSource source(blob->fd.get(), blob->size);
  crypto::Digest local(crypto::DigestKind::Sha256);
  std::vector<std::uint8_t> buffer(1 << 20);
  for (std::uint64_t offset = 0; offset < blob->size;) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), blob->size - offset));
    if (!source.read(offset, std::span(buffer.data(), n))) {
      throw std::runtime_error(fmt::format("cannot read the firmware file {}", sha256));
    }
    local.update(std::span<const std::uint8_t>(buffer.data(), n));
    offset += n;
  }
  if (crypto::to_hex(local.finish()) != sha256) {
    throw std::runtime_error(fmt::format("the firmware file {} in the data folder does not match its digest", sha256));
  }
  copies.put_firmware(sha256, source);
  crypto::Digest stored(crypto::DigestKind::Sha256);
  std::uint64_t stored_size = 0;
  const bool found = copies.read_firmware(sha256, [&](std::span<const std::uint8_t> piece) {
    stored.update(piece);
    stored_size += piece.size();
  });
  if (!found || stored_size != blob->size || crypto::to_hex(stored.finish()) != sha256) {
    throw std::runtime_error(fmt::format("the store's copy of firmware {} does not match the file", sha256));
  }
  return blob->size;
}

}  // namespace apiota::service
