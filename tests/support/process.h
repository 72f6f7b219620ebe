// Child processes for tests that start the real binaries (raptor, queue-server,
// tools/check_boundaries).
//
// A ChildProcess runs a program with exactly the environment it is given (so a
// test controls every config var), appends its stdout and stderr to a log file
// the test can read, and never outlives the test: the destructor kills it, and
// the kernel kills it if the test process dies first (PR_SET_PDEATHSIG).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

using Environment = std::map<std::string, std::string>;

// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, closed).
unsigned short free_port();

struct ExitStatus {
  bool exited = false;  // true: the process returned `code`; false: a signal ended it
  int code = 0;
  int signal = 0;
};

// Where a child's standard streams go when they are not one log (ChildProcess's second
// constructor): stdout and stderr to files of their own, stdin from a file ("" for /dev/null).
struct Streams {
  std::string stdout_path;
  std::string stderr_path;
  std::string stdin_path;
};

class ChildProcess {
 public:
  // Starts `program` with `args` in `working_directory` ("" for the test's own).
  // Sanitizer settings (ASAN_OPTIONS, ...) are passed through from the test's own
  // environment; nothing else is. Throws std::runtime_error when the log cannot be
  // opened or fork fails; an exec or chdir failure shows as exit code 127.
  ChildProcess(std::string program, std::vector<std::string> args, Environment env, std::string log_path,
               std::string working_directory = "");
  // The same, with stdout and stderr kept apart; log_path() and output() are stdout's.
  ChildProcess(std::string program, std::vector<std::string> args, Environment env, const Streams& streams,
               std::string working_directory = "");
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }

  // True once 127.0.0.1:port accepts a connection; false if the process exits or the time runs out.
  bool wait_for_port(unsigned short port, std::chrono::milliseconds timeout);
  // True once the log holds `needle`; false if the process exits without it or the time runs out.
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout);

  void send_signal(int signal);
  // The exit status, or nullopt if the process is still running after `timeout`.
  std::optional<ExitStatus> wait_for_exit(std::chrono::milliseconds timeout);
  bool running();

  // Everything the process has written so far.
  std::string output() const;

 private:
  void spawn(const std::string& program, const std::vector<std::string>& args, Environment env,
             const Streams& streams, const std::string& working_directory);
  bool reap(int options);

  std::string log_path_;
  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

struct RunResult {
  ExitStatus status;
  std::string output;
};

// Runs a program to completion (killing it after `timeout`) and returns its exit status and output.
RunResult run_to_completion(std::string program, std::vector<std::string> args, Environment env,
                            std::string log_path, std::chrono::milliseconds timeout);

struct CommandResult {
  ExitStatus status;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a command-line tool to completion (killing it after `timeout`) with `input` on its
// stdin; its streams go through files named `files_prefix` + ".in" / ".out" / ".err".
CommandResult run_command(std::string program, std::vector<std::string> args, Environment env,
                          const std::string& files_prefix, std::chrono::milliseconds timeout,
                          std::string_view input = {});

}  // namespace test_support
