// ConsoleSessions (service/console_sessions.h) over each real store (SQLite
// in a temp folder, PostgreSQL on the tests' own server), on a FakeEnv whose clock the tests move.

#include "service/console_sessions.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "service/api_error.h"
#include "service/key_issuer.h"
#include "support/fake_env.h"
#include "support/store_factories.h"
#include "support/fleet_records.h"

namespace apiota::service {
namespace {

using namespace std::chrono_literals;

crypto::ServerKey test_key() {
  crypto::ServerKey key{};
  key.fill(0x3c);
  return key;
}

class ConsoleSessionsTest : public ::testing::TestWithParam<testing::StoreBackend> {
 protected:
  ConsoleSessionsTest()
      : store_(GetParam().open(folder_.path())),
        hasher_(test_key()),
        access_(*store_, hasher_, settings_, env_),
        sessions_(*store_, access_, env_) {
    bootstrap(*store_, hasher_, domain::Plan{});
    admin_ = issue_key(*store_, hasher_, kDefaultProjectId, store::KeyRole::Admin, "ops", env_);
    provision_ = issue_key(*store_, hasher_, kDefaultProjectId, store::KeyRole::Provision, {}, env_).plaintext;
  }

  ErrorCode refusal_of_sign_in(std::string_view key) {
    try {
      sessions_.sign_in(key, "10.0.0.9");
    } catch (const ApiError& e) {
      return e.code();
    }
    ADD_FAILURE() << "signed in with " << key;
    return ErrorCode::InternalError;
  }

  testing::TempFolder folder_{"apiota-console-sessions"};
  testing::FakeEnv env_;
  std::unique_ptr<store::Store> store_;
  crypto::KeyedHasher hasher_;
  Settings settings_;
  AccessControl access_;
  ConsoleSessions sessions_;
  IssuedKey admin_;
  std::string provision_;
};

TEST_P(ConsoleSessionsTest, SignInGivesARandomTokenStoredOnlyAsItsHash) {
  OpenedConsoleSession opened = sessions_.sign_in(admin_.plaintext, "10.0.0.9");
  EXPECT_EQ(opened.token.size(), 43u);
  EXPECT_EQ(opened.lifetime, 12h);
  EXPECT_EQ(opened.session.admin.key.id, admin_.record.id);
  EXPECT_EQ(opened.session.expires_at, env_.now_ms() + 3'600'000);
  EXPECT_NE(sessions_.sign_in(admin_.plaintext, "10.0.0.9").token, opened.token);
  auto stored = store_->find_console_session(crypto::to_hex(crypto::sha256(opened.token)));
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->session.key_id, admin_.record.id);
  EXPECT_FALSE(store_->find_console_session(opened.token));
  auto found = sessions_.find(opened.token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->admin.project.id, kDefaultProjectId);
}

TEST_P(ConsoleSessionsTest, SignInRefusesAsAdminAuthenticationDoes) {
  EXPECT_EQ(refusal_of_sign_in(provision_), ErrorCode::Forbidden);
  EXPECT_EQ(refusal_of_sign_in("pk_live_wrong"), ErrorCode::Unauthorized);
  for (std::uint32_t i = 1; i < settings_.auth_failures.max_failures; ++i) refusal_of_sign_in("pk_live_wrong");
  EXPECT_EQ(refusal_of_sign_in(admin_.plaintext), ErrorCode::RateLimited);
}

TEST_P(ConsoleSessionsTest, ASessionEndsAnHourAfterItsLastUse) {
  const std::string token = sessions_.sign_in(admin_.plaintext, "10.0.0.9").token;
  env_.advance(59min);
  ASSERT_TRUE(sessions_.find(token));  // used: the hour starts again
  env_.advance(59min);
  auto found = sessions_.find(token);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->expires_at, env_.now_ms() + 3'600'000);
  env_.advance(60min);
  EXPECT_FALSE(sessions_.find(token));
  EXPECT_FALSE(store_->find_console_session(crypto::to_hex(crypto::sha256(token))));  // deleted
}

TEST_P(ConsoleSessionsTest, ASessionEndsTwelveHoursAfterSignInHoweverUsed) {
  const std::string token = sessions_.sign_in(admin_.plaintext, "10.0.0.9").token;
  for (int i = 0; i < 23; ++i) {
    env_.advance(30min);
    ASSERT_TRUE(sessions_.find(token)) << "after " << (i + 1) * 30 << " minutes";
  }
  auto last = sessions_.find(token);
  ASSERT_TRUE(last);
  EXPECT_LE(last->expires_at, env_.now_ms() + 30 * 60'000);
  env_.advance(30min);
  EXPECT_FALSE(sessions_.find(token));
}

TEST_P(ConsoleSessionsTest, RevokingTheKeyEndsItsSessions) {
  const std::string token = sessions_.sign_in(admin_.plaintext, "10.0.0.9").token;
  ASSERT_TRUE(store_->revoke_key(admin_.record.id, env_.now_ms()));
  EXPECT_FALSE(sessions_.find(token));
}

TEST_P(ConsoleSessionsTest, SignOutEndsTheSessionAndOddTokensFindNothing) {
  const std::string token = sessions_.sign_in(admin_.plaintext, "10.0.0.9").token;
  EXPECT_TRUE(sessions_.sign_out(token));
  EXPECT_FALSE(sessions_.sign_out(token));
  EXPECT_FALSE(sessions_.find(token));
  EXPECT_FALSE(sessions_.find(""));
  EXPECT_FALSE(sessions_.find(std::string(43, '!')));
  EXPECT_FALSE(sessions_.find(std::string(44, 'a')));
}

TEST_P(ConsoleSessionsTest, PruneDeletesEndedSessionsOnly) {
  const std::string old_token = sessions_.sign_in(admin_.plaintext, "10.0.0.9").token;
  env_.advance(50min);
  const std::string new_token = sessions_.sign_in(admin_.plaintext, "10.0.0.9").token;
  env_.advance(11min);
  EXPECT_EQ(sessions_.prune(), 1);
  EXPECT_FALSE(store_->find_console_session(crypto::to_hex(crypto::sha256(old_token))));
  EXPECT_TRUE(sessions_.find(new_token));
}

INSTANTIATE_TEST_SUITE_P(Stores, ConsoleSessionsTest,
                         ::testing::Values(testing::sqlite_backend(), testing::postgres_backend()), testing::backend_name);

}  // namespace
}  // namespace apiota::service
