// web::App's extensions: one shared object per type, found by whoever holds the app.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "web/app.h"

namespace {

struct Greeter {
  virtual ~Greeter() = default;
  virtual std::string greet() const = 0;
};
struct English : Greeter {
  std::string greet() const override { return "hello"; }
};
struct Counter {
  int value = 0;
};

TEST(AppExtensions, AreFoundByTheTypeTheyWereSetAs) {
  web::App app("test", web::Config{});
  EXPECT_EQ(app.extension<Greeter>(), nullptr);

  app.set_extension<Greeter>(std::make_shared<English>());
  auto counter = std::make_shared<Counter>();
  app.set_extension(counter);

  ASSERT_NE(app.extension<Greeter>(), nullptr);
  EXPECT_EQ(app.extension<Greeter>()->greet(), "hello");
  EXPECT_EQ(app.extension<Counter>(), counter);
  EXPECT_EQ(app.extension<English>(), nullptr);  // set as its interface, found as that only
}

TEST(AppExtensions, SettingNullRemovesOne) {
  web::App app("test", web::Config{});
  app.set_extension(std::make_shared<Counter>());
  app.set_extension<Counter>(nullptr);
  EXPECT_EQ(app.extension<Counter>(), nullptr);
}

}  // namespace
