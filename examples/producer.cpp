// Sends COUNT messages ("message-0", "message-1", ...) to a queue, creating it if
// needed, 100 to a call.
//
//   QUEUE_URL=http://127.0.0.1:5000 example-producer orders 1000
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "example_args.h"
#include "queue/contract/client.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: example-producer QUEUE COUNT\n";
    return 2;
  }
  const std::string queue_name = argv[1];
  const int count = std::atoi(argv[2]);
  auto client = queue::remote::make_http_client(examples::client_options());
  using namespace std::chrono_literals;

  auto created = client->put_queue(queue_name, {}, queue::contract::within(10s));
  if (!created) {
    std::cerr << "put_queue: " << queue::contract::to_string(created.error().code) << " "
              << created.error().message << "\n";
    return 1;
  }
  for (int first = 0; first < count; first += 100) {
    std::vector<queue::contract::OutgoingMessage> batch;
    for (int i = first; i < std::min(count, first + 100); ++i) {
      queue::contract::OutgoingMessage message;
      message.body = "message-" + std::to_string(i);
      batch.push_back(std::move(message));
    }
    auto sent = client->send(queue_name, std::move(batch), queue::contract::within(10s));
    if (!sent) {
      std::cerr << "send: " << queue::contract::to_string(sent.error().code) << " " << sent.error().message << "\n";
      return 1;
    }
    for (const std::string& id : sent->ids) std::cout << id << "\n";
  }
  return 0;
}
