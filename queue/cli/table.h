// A plain-text table: a header row and left-aligned columns two spaces apart, widths
// from the widest cell (queuectl's `-o table`, the default). Cells are shown as given,
// except that control characters (a message body's newline, an escape) become '?',
// so one row stays one line and nothing a producer sent can move the terminal's cursor.
#pragma once

#include <string>
#include <vector>

namespace queue::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // A row with as many cells as headers (missing cells are blank, extra ones dropped).
  void add_row(std::vector<std::string> cells);
  bool empty() const { return rows_.empty(); }

  // Every line ends with '\n'; the last column carries no trailing padding.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Cells longer than `max` characters end in "..." (a table column, not the whole body).
std::string truncate_cell(const std::string& text, std::size_t max);

}  // namespace queue::cli
