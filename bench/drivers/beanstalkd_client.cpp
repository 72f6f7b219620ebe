#include "bench/drivers/beanstalkd_client.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace bench {
namespace {

// A reserved job that is not deleted within this many seconds goes back to the
// tube: far longer than any benchmark call, so it never fires by accident.
constexpr std::string_view kTimeToRunSeconds = "60";

std::size_t parse_size(std::string_view text) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw std::runtime_error("beanstalkd: malformed number in reply: " + std::string(text));
  }
  return value;
}

}  // namespace

BeanstalkdClient::BeanstalkdClient(const Target& target) : connection_(target.endpoint) {
  out_ = "use " + target.queue + "\r\nwatch " + target.queue + "\r\nignore default\r\n";
  connection_.write_all(out_);
  expect("USING", "use");
  expect("WATCHING", "watch");
  expect("WATCHING", "ignore");
}

std::string BeanstalkdClient::expect(std::string_view word, std::string_view command) {
  std::string_view line = connection_.read_line();
  if (!line.starts_with(word) || (line.size() > word.size() && line[word.size()] != ' ')) {
    throw std::runtime_error("beanstalkd " + std::string(command) + ": " + std::string(line));
  }
  line.remove_prefix(std::min(line.size(), word.size() + 1));
  return std::string(line);
}

void BeanstalkdClient::ping() {
  connection_.write_all("list-tube-used\r\n");
  expect("USING", "list-tube-used");
}

// Tubes come into being when used: nothing to create.
void BeanstalkdClient::create_queue() {}

void BeanstalkdClient::send(std::span<const std::string> bodies) {
  out_.clear();
  for (const std::string& body : bodies) {
    out_ += "put 0 0 ";
    out_ += kTimeToRunSeconds;
    out_ += ' ';
    out_ += std::to_string(body.size());
    out_ += "\r\n";
    out_ += body;
    out_ += "\r\n";
  }
  connection_.write_all(out_);
  for (std::size_t i = 0; i < bodies.size(); ++i) expect("INSERTED", "put");
}

bool BeanstalkdClient::read_reserved(std::vector<Delivery>& deliveries) {
  std::string_view line = connection_.read_line();
  if (line == "TIMED_OUT") return false;
  constexpr std::string_view kReserved = "RESERVED ";
  if (!line.starts_with(kReserved)) throw std::runtime_error("beanstalkd reserve: " + std::string(line));
  line.remove_prefix(kReserved.size());
  const auto space = line.find(' ');
  if (space == std::string_view::npos) throw std::runtime_error("beanstalkd reserve: malformed RESERVED line");
  Delivery delivery;
  delivery.handle = line.substr(0, space);
  const std::size_t size = parse_size(line.substr(space + 1));
  connection_.read_exact(size, delivery.body);
  connection_.expect_crlf();
  deliveries.push_back(std::move(delivery));
  return true;
}

std::vector<Delivery> BeanstalkdClient::receive(std::size_t max, std::chrono::seconds wait) {
  std::vector<Delivery> deliveries;
  std::size_t pipelined = max;
  if (wait.count() > 0) {
    // Block for the first job only; once one came, take the rest of the batch without waiting.
    connection_.write_all("reserve-with-timeout " + std::to_string(wait.count()) + "\r\n");
    if (!read_reserved(deliveries)) return deliveries;
    pipelined = max - 1;
  }
  if (pipelined == 0) return deliveries;
  out_.clear();
  for (std::size_t i = 0; i < pipelined; ++i) out_ += "reserve-with-timeout 0\r\n";
  connection_.write_all(out_);
  for (std::size_t i = 0; i < pipelined; ++i) read_reserved(deliveries);
  return deliveries;
}

void BeanstalkdClient::ack(std::span<const Delivery> deliveries) {
  if (deliveries.empty()) return;
  out_.clear();
  for (const Delivery& delivery : deliveries) {
    out_ += "delete ";
    out_ += delivery.handle;
    out_ += "\r\n";
  }
  connection_.write_all(out_);
  for (std::size_t i = 0; i < deliveries.size(); ++i) expect("DELETED", "delete");
}

}  // namespace bench
