// tools/check_boundaries: the real tree passes, and every rule catches a planted include.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include "tests/integration/temp_dir.h"
#include "tests/support/process.h"

namespace {

namespace fs = std::filesystem;
using test_support::RunResult;
using test_support::TempDir;

const std::string lint = QUEUE_SOURCE_DIR "/tools/check_boundaries";

RunResult run_lint(const TempDir& scratch, const fs::path& root) {
  const char* path = std::getenv("PATH");
  return test_support::run_to_completion(lint, {root.string()}, {{"PATH", path ? path : "/usr/bin:/bin"}},
                                         scratch.file("lint.log"), std::chrono::seconds(30));
}

// A copy of the real modules, so a planted file cannot touch the working tree.
fs::path copy_of_real_tree(const TempDir& scratch) {
  fs::path root = scratch.path() / "tree";
  fs::create_directories(root);
  for (const char* module : {"backend_v2", "queue", "web", "common"}) {
    fs::copy(fs::path(QUEUE_SOURCE_DIR) / module, root / module, fs::copy_options::recursive);
  }
  return root;
}

// Writes `include_line` as line 3 of `relative_path` under `root`.
void plant(const fs::path& root, const std::string& relative_path, const std::string& include_line) {
  fs::path file = root / relative_path;
  fs::create_directories(file.parent_path());
  std::ofstream(file) << "// planted by check_boundaries_test\n\n" << include_line << "\n";
}

TEST(CheckBoundaries, RealTreePasses) {
  TempDir scratch;
  RunResult result = run_lint(scratch, QUEUE_SOURCE_DIR);
  EXPECT_TRUE(result.status.exited);
  EXPECT_EQ(result.status.code, 0) << result.output;
}

TEST(CheckBoundaries, RejectsAMissingRoot) {
  TempDir scratch;
  RunResult result = run_lint(scratch, scratch.path() / "no-such-dir");
  EXPECT_EQ(result.status.code, 2) << result.output;
  EXPECT_NE(result.output.find("usage"), std::string::npos) << result.output;
}

struct Planted {
  const char* file;
  const char* include;
  const char* rule;  // a phrase of the rule the lint must print
};

void PrintTo(const Planted& planted, std::ostream* out) { *out << planted.file << ": " << planted.include; }

// "queue_core_includes_sqlite3_h_7": readable in ctest's list, unique by the index.
std::string planted_name(const testing::TestParamInfo<Planted>& info) {
  std::string include = info.param.include;
  std::string header = include.substr(include.find_first_of("<\"") + 1);
  std::string name = fs::path(info.param.file).parent_path().string() + "_includes_" + header;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  while (name.back() == '_') name.pop_back();
  return name + "_" + std::to_string(info.index);
}

class PlantedViolation : public testing::TestWithParam<Planted> {};

TEST_P(PlantedViolation, FailsNamingFileLineAndRule) {
  const Planted& planted = GetParam();
  TempDir scratch;
  fs::path root = copy_of_real_tree(scratch);
  ASSERT_EQ(run_lint(scratch, root).status.code, 0) << "the copy must be clean before planting";

  plant(root, planted.file, planted.include);
  RunResult result = run_lint(scratch, root);
  EXPECT_TRUE(result.status.exited);
  EXPECT_EQ(result.status.code, 1) << result.output;
  EXPECT_NE(result.output.find(std::string(planted.file) + ":3:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find(planted.rule), std::string::npos) << result.output;
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, PlantedViolation,
    testing::Values(
        Planted{"backend_v2/api/planted.cpp", "#include \"queue/core/service.h\"", "backend_v2 may include only"},
        Planted{"backend_v2/planted.h", "#include <queue/storage/open.h>", "backend_v2 may include only"},
        Planted{"backend_v2/api/planted.cpp", "#include \"queue/api/settings.h\"", "backend_v2 may include only"},
        Planted{"backend_v2/api/planted.cpp", "  #  include \"queue/contract/sub/hidden.h\"",
                "backend_v2 may include only"},
        Planted{"queue/core/planted.cpp", "#include \"web/request.h\"", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include <boost/asio/io_context.hpp>", "queue/core knows nothing"},
        Planted{"queue/core/planted.h", "#include <boost/beast/http.hpp>", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include <sqlite3.h>", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include <libpq-fe.h>", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include \"queue/storage/open.h\"", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include \"queue/api/app.h\"", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include \"backend_v2/api/app_factory.h\"", "queue/core knows nothing"},
        Planted{"queue/core/planted.cpp", "#include \"../storage/sqlite_store.h\"", "no ../"},
        Planted{"queue/storage/planted.cpp", "#include \"web/response.h\"", "queue/storage knows nothing"},
        Planted{"queue/storage/planted.cpp", "#include <boost/beast/core.hpp>", "queue/storage knows nothing"},
        Planted{"queue/storage/planted.cpp", "#include \"queue/api/errors.h\"", "queue/storage knows nothing"},
        Planted{"queue/storage/planted.cpp", "#include \"backend_v2/config/settings.h\"",
                "queue/storage knows nothing"},
        Planted{"queue/contract/planted.h", "#include \"queue/core/types.h\"", "queue/contract is std-only"},
        Planted{"queue/contract/planted.h", "#include <boost/json/value.hpp>", "queue/contract is std-only"},
        Planted{"queue/worker/planted.cpp", "#include \"queue/remote/http_client.h\"", "the worker SDK depends on the contract alone"},
        Planted{"queue/remote/planted.cpp", "#include \"web/request.h\"", "the remote client depends on the contract"},
        Planted{"queue/in_process/planted.cpp", "#include \"queue/storage/open.h\"", "the in-process client adapts"},
        Planted{"queue/cli/planted.cpp", "#include \"queue/core/service.h\"", "queuectl speaks to Queue through"},
        Planted{"queue/cli/planted.cpp", "#include \"queue/remote/wire_codec.h\"", "queuectl speaks to Queue through"},
        Planted{"queue/cli/planted.cpp", "#include \"web/request.h\"", "queuectl speaks to Queue through"},
        Planted{"web/planted.cpp", "#include \"queue/contract/errors.h\"", "web/ is generic"},
        Planted{"common/planted.cpp", "#include \"backend_v2/api/app_factory.h\"", "common/ is generic"}),
    planted_name);

TEST(CheckBoundaries, AllowsQueuesPublicHeadersInRaptor) {
  TempDir scratch;
  fs::path root = copy_of_real_tree(scratch);
  plant(root, "backend_v2/api/planted.cpp", "#include \"queue/api/app.h\"\n#include \"queue/contract/errors.h\"");
  RunResult result = run_lint(scratch, root);
  EXPECT_EQ(result.status.code, 0) << result.output;
}

}  // namespace
