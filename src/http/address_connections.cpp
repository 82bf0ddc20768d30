#include "http/address_connections.h"

#include <random>

namespace apiota::http {

namespace {

// splitmix64's finaliser: every input bit moves every output bit, so keys
// that differ in a few bits land in unrelated buckets and shards.
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t random_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace

// The seed is random per process so that clients cannot pick addresses that
// all fall into one bucket of the maps.
std::size_t AddressConnections::KeyHash::operator()(const Key& key) const {
  return static_cast<std::size_t>(mix(key.high ^ seed) ^ mix(key.low + seed));
}

AddressConnections::AddressConnections(std::size_t cap_per_address)
    : cap_(cap_per_address), hash_{random_seed()}, shards_() {
  for (auto& shard : shards_) shard.open = std::unordered_map<Key, std::uint32_t, KeyHash>(0, hash_);
}

AddressConnections::Key AddressConnections::key_of(const boost::asio::ip::address& address) {
  Key key;
  if (address.is_v6() && !address.to_v6().is_v4_mapped()) {
    auto bytes = address.to_v6().to_bytes();
    for (std::size_t i = 0; i < 8; ++i) key.high = (key.high << 8) | bytes[i];
  } else {
    auto v4 = address.is_v4() ? address.to_v4()
                              : boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    key.low = (std::uint64_t{0xffff} << 32) | v4.to_uint();
  }
  return key;
}

AddressConnections::Shard& AddressConnections::shard_of(const Key& key) {
  return shards_[(hash_(key) >> 58) % kShards];
}

bool AddressConnections::try_add(const boost::asio::ip::address& address) {
  Key key = key_of(address);
  Shard& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  std::uint32_t& count = shard.open[key];
  if (count >= cap_) return false;  // count >= 1: the entry existed
  ++count;
  return true;
}

void AddressConnections::remove(const boost::asio::ip::address& address) {
  Key key = key_of(address);
  Shard& shard = shard_of(key);
  std::lock_guard lock(shard.mutex);
  auto it = shard.open.find(key);
  if (it == shard.open.end()) return;
  if (--it->second == 0) shard.open.erase(it);
}

}  // namespace apiota::http
