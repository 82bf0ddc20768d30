#include "http/tls_ticket_keys.h"

#include <gtest/gtest.h>

namespace apiota::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kRotation = 12h;
constexpr std::chrono::seconds kLifetime = 24h;
const Clock::time_point kStart{1000h};

TEST(TlsTicketKeys, OneKeySealsUntilTheRotationThenTheNextTakesOver) {
  TlsTicketKeys keys(kRotation, kLifetime);
  const TicketKey first = keys.sealing_key(kStart);
  EXPECT_EQ(keys.sealing_key(kStart + kRotation - 1s).name, first.name);
  const TicketKey second = keys.sealing_key(kStart + kRotation);
  EXPECT_NE(second.name, first.name);
  EXPECT_NE(second.cipher_key, first.cipher_key);
  EXPECT_NE(second.mac_key, first.mac_key);
  EXPECT_NE(second.cipher_key, second.mac_key);
  EXPECT_EQ(keys.size(), 2u);
}

TEST(TlsTicketKeys, TheCurrentKeyOpensWithoutRenewalAnOlderOneRenews) {
  TlsTicketKeys keys(kRotation, kLifetime);
  const TicketKey first = keys.sealing_key(kStart);
  auto opened = keys.opening_key(first.name, kStart + 1h);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->key.cipher_key, first.cipher_key);
  EXPECT_FALSE(opened->renew);

  const TicketKey second = keys.sealing_key(kStart + kRotation);
  opened = keys.opening_key(first.name, kStart + kRotation + 1h);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->key.mac_key, first.mac_key);
  EXPECT_TRUE(opened->renew);
  opened = keys.opening_key(second.name, kStart + kRotation + 1h);
  ASSERT_TRUE(opened);
  EXPECT_FALSE(opened->renew);
}

TEST(TlsTicketKeys, TheNewestKeyRenewsOnceItsSealingTimeIsOverWithoutTraffic) {
  TlsTicketKeys keys(kRotation, kLifetime);
  const TicketKey only = keys.sealing_key(kStart);
  auto opened = keys.opening_key(only.name, kStart + kRotation + 1h);
  ASSERT_TRUE(opened);
  EXPECT_TRUE(opened->renew);
}

TEST(TlsTicketKeys, AKeyOpensForTheTicketLifetimeAfterItLastSealedThenIsForgotten) {
  TlsTicketKeys keys(kRotation, kLifetime);
  const TicketKey first = keys.sealing_key(kStart);
  keys.sealing_key(kStart + kRotation);
  // A ticket sealed by `first` just before the rotation lives kLifetime more.
  EXPECT_TRUE(keys.opening_key(first.name, kStart + kRotation + kLifetime - 1s));
  EXPECT_FALSE(keys.opening_key(first.name, kStart + kRotation + kLifetime));
  EXPECT_EQ(keys.size(), 1u);
}

TEST(TlsTicketKeys, UnknownNameOpensNothing) {
  TlsTicketKeys keys(kRotation, kLifetime);
  TicketKey sealing = keys.sealing_key(kStart);
  sealing.name[0] ^= 1;
  EXPECT_FALSE(keys.opening_key(sealing.name, kStart));
}

TEST(TlsTicketKeys, HeldKeysStayBoundedUnderSteadyTraffic) {
  TlsTicketKeys keys(kRotation, kLifetime);
  for (auto t = kStart; t < kStart + 30 * 24h; t += 1h) keys.sealing_key(t);
  // The sealing key plus those whose tickets may still be alive.
  EXPECT_LE(keys.size(), static_cast<std::size_t>((kRotation + kLifetime) / kRotation) + 1);
  EXPECT_GE(keys.size(), 2u);
}

}  // namespace
}  // namespace apiota::http
