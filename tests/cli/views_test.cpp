// queuectl's pieces without a server: the table layout, ages and instants as text, the
// exit code of every error code.
#include <gtest/gtest.h>

#include <string>

#include "queue/cli/exit_codes.h"
#include "queue/cli/table.h"
#include "queue/cli/text_views.h"

namespace {

using queue::cli::ExitCode;
using queue::cli::Table;
using queue::contract::ErrorCode;

TEST(Table, AlignsColumnsTwoSpacesApartWithoutTrailingBlanks) {
  Table table({"QUEUE", "VISIBLE", "AGE"});
  table.add_row({"orders", "1200", "2m19s"});
  table.add_row({"a", "3", ""});
  EXPECT_EQ(table.render(),
            "QUEUE   VISIBLE  AGE\n"
            "orders  1200     2m19s\n"
            "a       3\n");
}

TEST(Table, ControlCharactersCannotBreakARowOrMoveTheCursor) {
  Table table({"BODY", "N"});
  table.add_row({"line one\nline two\x1b[2J", "1"});
  EXPECT_EQ(table.render(), "BODY" + std::string(19, ' ') + "N\nline one?line two?[2J  1\n");
}

TEST(Table, MissingCellsAreBlankAndExtraOnesDropped) {
  Table table({"A", "B"});
  table.add_row({"x"});
  table.add_row({"1", "2", "3"});
  EXPECT_EQ(table.render(), "A  B\nx\n1  2\n");
}

TEST(Table, TruncatesLongCellsWithAnEllipsis) {
  EXPECT_EQ(queue::cli::truncate_cell("abcdefghij", 6), "abc...");
  EXPECT_EQ(queue::cli::truncate_cell("abcdef", 6), "abcdef");
}

TEST(TextViews, AgesReadAtAGlance) {
  using queue::cli::format_age;
  EXPECT_EQ(format_age(0), "0s");
  EXPECT_EQ(format_age(59), "59s");
  EXPECT_EQ(format_age(60), "1m00s");
  EXPECT_EQ(format_age(192), "3m12s");
  EXPECT_EQ(format_age(3600 * 2 + 5 * 60 + 7), "2h05m");
  EXPECT_EQ(format_age(86400 * 3 + 3600 * 4 + 59), "3d04h");
}

TEST(TextViews, InstantsAreUtcWithMilliseconds) {
  EXPECT_EQ(queue::cli::format_time_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(queue::cli::format_time_ms(1'796'181'905'007), "2026-12-02T03:25:05.007Z");
}

TEST(ExitCodes, SayWhatFailed) {
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::invalid_request), ExitCode::usage);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::payload_too_large), ExitCode::usage);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::unauthorized), ExitCode::auth);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::forbidden), ExitCode::auth);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::queue_not_found), ExitCode::not_found);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::not_found), ExitCode::not_found);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::message_not_found), ExitCode::not_found);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::unavailable), ExitCode::unavailable);
  EXPECT_EQ(queue::cli::exit_code_for(ErrorCode::deadline_exceeded), ExitCode::unavailable);
  for (ErrorCode code : {ErrorCode::conflict, ErrorCode::internal_error, ErrorCode::method_not_allowed,
                         ErrorCode::unsupported_media_type, ErrorCode::headers_too_large, ErrorCode::receipt_invalid}) {
    EXPECT_EQ(queue::cli::exit_code_for(code), ExitCode::other) << queue::contract::to_string(code);
  }
  EXPECT_EQ(static_cast<int>(ExitCode::ok), 0);
  EXPECT_EQ(static_cast<int>(ExitCode::other), 1);
  EXPECT_EQ(static_cast<int>(ExitCode::usage), 2);
  EXPECT_EQ(static_cast<int>(ExitCode::auth), 3);
  EXPECT_EQ(static_cast<int>(ExitCode::not_found), 4);
  EXPECT_EQ(static_cast<int>(ExitCode::unavailable), 5);
}

}  // namespace
