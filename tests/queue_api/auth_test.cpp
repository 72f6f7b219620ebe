#include "queue/api/auth.h"

#include <gtest/gtest.h>

namespace queue::api {
namespace {

TEST(TokenTable, ParsesEntriesScopesAndGlobs) {
  auto table = TokenTable::parse("ops:t0ps3cret:admin; worker:s3cretXYZ:receive@orders-*,send@audit");
  ASSERT_EQ(table.size(), 2u);

  const Principal* ops = table.authenticate("t0ps3cret");
  ASSERT_NE(ops, nullptr);
  EXPECT_EQ(ops->name, "ops");
  EXPECT_TRUE(ops->allows(Scope::admin, "anything"));
  EXPECT_TRUE(ops->allows(Scope::send, "anything"));

  const Principal* worker = table.authenticate("s3cretXYZ");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->name, "worker");
  EXPECT_TRUE(worker->allows(Scope::receive, "orders-eu"));
  EXPECT_FALSE(worker->allows(Scope::receive, "audit"));
  EXPECT_TRUE(worker->allows(Scope::send, "audit"));
  EXPECT_FALSE(worker->allows(Scope::send, "orders-eu"));
  EXPECT_FALSE(worker->allows(Scope::admin, "orders-eu"));
  EXPECT_TRUE(worker->sees("orders-eu"));
  EXPECT_FALSE(worker->sees("billing"));
}

TEST(TokenTable, UnknownOrPrefixTokensAreRejected) {
  auto table = TokenTable::parse("ops:t0ps3cret:admin");
  EXPECT_EQ(table.authenticate(""), nullptr);
  EXPECT_EQ(table.authenticate("t0ps3cre"), nullptr);
  EXPECT_EQ(table.authenticate("t0ps3cretX"), nullptr);
  EXPECT_EQ(table.authenticate("T0PS3CRET"), nullptr);
}

TEST(TokenTable, EmptySpecMeansNoTokens) {
  EXPECT_TRUE(TokenTable::parse("").empty());
  EXPECT_TRUE(TokenTable::parse(" ; ").empty());
}

TEST(TokenTable, MalformedEntriesAreErrorsThatNeverEchoTheToken) {
  for (const char* spec : {"ops:t0ps3cret", "ops:t0ps3cret:root", ":t0ps3cret:admin", "ops:short:admin",
                           "ops:t0ps3cret:send@", "ops:t0ps3cret:", "a:t0ps3cret:admin;a:other0000:send",
                           "a:t0ps3cret:admin;b:t0ps3cret:send"}) {
    try {
      TokenTable::parse(spec);
      ADD_FAILURE() << "accepted: " << spec;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("t0ps3cret"), std::string::npos) << e.what();
    }
  }
}

TEST(TokenTable, OneNameWithSeveralTokensIsOnePrincipalMidRotation) {
  // The new token is added beside the old one, scopes in another order: both work at once.
  auto table = TokenTable::parse("worker:oldT0ken1:receive@orders-*,send@audit; worker:newT0ken2:send@audit,receive@orders-*");
  ASSERT_EQ(table.size(), 2u);
  const Principal* old_token = table.authenticate("oldT0ken1");
  const Principal* new_token = table.authenticate("newT0ken2");
  ASSERT_NE(old_token, nullptr);
  ASSERT_NE(new_token, nullptr);
  for (const Principal* principal : {old_token, new_token}) {
    EXPECT_EQ(principal->name, "worker");
    EXPECT_TRUE(principal->allows(Scope::receive, "orders-eu"));
    EXPECT_TRUE(principal->allows(Scope::send, "audit"));
    EXPECT_FALSE(principal->allows(Scope::admin, "orders-eu"));
  }
}

TEST(TokenTable, ARotationThatWouldChangeRightsIsRefusedNamingTheEntry) {
  try {
    TokenTable::parse("worker:oldT0ken1:receive@orders-*; worker:newT0ken2:receive@orders-*,send@audit");
    ADD_FAILURE() << "accepted a second token with more rights";
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("'worker'"), std::string::npos) << what;
    EXPECT_EQ(what.find("T0ken"), std::string::npos) << what;
  }
}

TEST(BearerToken, ExtractsTheTokenCaseInsensitivelyOnTheScheme) {
  EXPECT_EQ(bearer_token("Bearer abc123"), "abc123");
  EXPECT_EQ(bearer_token("bearer abc123 "), "abc123");
  EXPECT_EQ(bearer_token("Basic abc123"), std::nullopt);
  EXPECT_EQ(bearer_token("Bearer "), std::nullopt);
  EXPECT_EQ(bearer_token(""), std::nullopt);
}

}  // namespace
}  // namespace queue::api
