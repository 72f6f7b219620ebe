// docs/openapi.yaml documents exactly the routes the server has: every route of
// App::route_list() is in the document and every documented operation is served.
//
// The document is read with a line parser that knows the shape we write
// (`paths:` at column 0, paths at 2 spaces, methods at 4), not with a YAML library.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/queue_api/api_server.h"

namespace queue_api_test {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "METHOD /path" for every operation under `paths:`.
std::set<std::string> documented_operations(std::istream& yaml) {
  static const std::regex top_level(R"(^\S.*)");
  static const std::regex path_line(R"(^  (/\S*):\s*$)");
  static const std::regex method_line(R"(^    (get|put|post|delete|patch|head|options|trace):\s*$)");
  std::set<std::string> operations;
  bool in_paths = false;
  std::string path;
  std::string line;
  std::smatch match;
  while (std::getline(yaml, line)) {
    if (std::regex_match(line, top_level)) {
      in_paths = line.starts_with("paths:");
      continue;
    }
    if (!in_paths) continue;
    if (std::regex_match(line, match, path_line)) {
      path = match[1].str();
    } else if (std::regex_match(line, match, method_line) && !path.empty()) {
      operations.insert(upper(match[1].str()) + " " + path);
    }
  }
  return operations;
}

TEST(OpenApi, TheLineParserReadsPathsAndMethods) {
  std::istringstream yaml(
      "openapi: 3.0.3\n"
      "paths:\n"
      "  /a/{x}:\n"
      "    parameters: []\n"
      "    get:\n"
      "      responses: {}\n"
      "    delete:\n"
      "  /b:\n"
      "    post:\n"
      "components:\n"
      "  /not-a-path:\n"
      "    get:\n");
  EXPECT_EQ(documented_operations(yaml), (std::set<std::string>{"GET /a/{x}", "DELETE /a/{x}", "POST /b"}));
}

TEST(OpenApi, DocumentsEveryRouteAndNothingElse) {
  std::ifstream yaml(std::string(QUEUE_SOURCE_DIR) + "/docs/openapi.yaml");
  ASSERT_TRUE(yaml) << "docs/openapi.yaml is missing";
  std::set<std::string> documented = documented_operations(yaml);

  ApiServer server;
  std::set<std::string> served;
  for (const std::string& route : server.app().route_list()) served.insert(route);
  ASSERT_GE(served.size(), 13u);

  for (const std::string& route : served) EXPECT_TRUE(documented.contains(route)) << route << " is not in openapi.yaml";
  for (const std::string& operation : documented) {
    EXPECT_TRUE(served.contains(operation)) << operation << " is documented but not served";
  }
}

}  // namespace
}  // namespace queue_api_test
