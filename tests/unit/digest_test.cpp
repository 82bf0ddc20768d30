#include "crypto/digest.h"

#include <gtest/gtest.h>

#include <string>

using apiota::crypto::Sha256Hasher;
using apiota::crypto::to_hex;

namespace {

// FIPS 180-2 test vectors, and the empty message.
TEST(Sha256Hasher, MatchesTheStandardVectors) {
  Sha256Hasher hasher;
  EXPECT_EQ(to_hex(hasher.hash({"abc"})), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(hasher.hash({""})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(hasher.hash({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(hasher.hash({"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"})),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Each hash starts afresh: nothing of the previous message is carried over.
TEST(Sha256Hasher, HashesTheConcatenationOfThePartsAndForgetsThePreviousMessage) {
  Sha256Hasher hasher;
  const std::string whole = "apiota-cohort\ndev-1\n42";
  const std::string expected = to_hex(apiota::crypto::sha256(whole));
  EXPECT_EQ(to_hex(hasher.hash({"apiota-cohort\n", "dev-1", "\n", "42"})), expected);
  EXPECT_EQ(to_hex(hasher.hash({"apio", "ta-cohort\ndev-1\n4", "", "2"})), expected);
  EXPECT_EQ(to_hex(hasher.hash({"abc"})), to_hex(apiota::crypto::sha256("abc")));
  EXPECT_EQ(to_hex(hasher.hash({whole})), expected);
}

}  // namespace
