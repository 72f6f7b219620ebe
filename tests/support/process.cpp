#include "tests/support/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace test_support {
namespace {

// How often the waits below look again. Only readiness is polled this way, never test logic.
constexpr std::chrono::milliseconds poll_interval{10};

constexpr const char* passed_through[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS",
                                          "LLVM_PROFILE_FILE"};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + std::strerror(errno)); }

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    if (fd_ < 0) fail("socket");
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(unsigned short port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool accepts_connections(unsigned short port) {
  Socket socket;
  sockaddr_in address = loopback(port);
  return ::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
}

// Everything execve needs, built before fork: after fork in a threaded process
// only async-signal-safe calls are allowed, so the child must not allocate.
struct ExecImage {
  std::vector<std::string> strings;
  std::vector<char*> argv;
  std::vector<char*> envp;

  ExecImage(const std::string& program, const std::vector<std::string>& args, Environment env) {
    for (const char* key : passed_through) {
      if (const char* value = std::getenv(key); value && !env.contains(key)) env[key] = value;
    }
    strings.push_back(program);
    strings.insert(strings.end(), args.begin(), args.end());
    std::size_t argc = strings.size();
    for (const auto& [key, value] : env) strings.push_back(key + "=" + value);
    for (std::size_t i = 0; i < strings.size(); ++i) {
      (i < argc ? argv : envp).push_back(strings[i].data());
    }
    argv.push_back(nullptr);
    envp.push_back(nullptr);
  }
};

}  // namespace

unsigned short free_port() {
  Socket socket;
  sockaddr_in address = loopback(0);
  if (::bind(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) fail("bind");
  socklen_t length = sizeof address;
  if (::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) fail("getsockname");
  return ntohs(address.sin_port);
}

ChildProcess::ChildProcess(std::string program, std::vector<std::string> args, Environment env,
                           std::string log_path, std::string working_directory)
    : log_path_(std::move(log_path)) {
  spawn(program, args, std::move(env), Streams{log_path_, log_path_, ""}, working_directory);
}

ChildProcess::ChildProcess(std::string program, std::vector<std::string> args, Environment env,
                           const Streams& streams, std::string working_directory)
    : log_path_(streams.stdout_path) {
  spawn(program, args, std::move(env), streams, working_directory);
}

void ChildProcess::spawn(const std::string& program, const std::vector<std::string>& args, Environment env,
                         const Streams& streams, const std::string& working_directory) {
  ExecImage image(program, args, std::move(env));
  auto open_file = [](const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
    if (fd < 0) fail("open " + path);
    return fd;
  };
  const int out_fd = open_file(streams.stdout_path, O_WRONLY | O_CREAT | O_APPEND);
  const int err_fd = streams.stderr_path == streams.stdout_path
                         ? out_fd
                         : open_file(streams.stderr_path, O_WRONLY | O_CREAT | O_APPEND);
  const int in_fd = open_file(streams.stdin_path.empty() ? "/dev/null" : streams.stdin_path, O_RDONLY);
  auto close_files = [&] {
    ::close(in_fd);
    if (err_fd != out_fd) ::close(err_fd);
    ::close(out_fd);
  };
  pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    close_files();
    fail("fork");
  }
  if (pid_ == 0) {
    // The child dies with the test, however the test ends.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::dup2(in_fd, STDIN_FILENO);
    if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0) ::_exit(127);
    ::execve(image.argv[0], image.argv.data(), image.envp.data());
    ::_exit(127);
  }
  close_files();
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    reap(0);
  }
}

bool ChildProcess::reap(int options) {
  if (status_) return true;
  int raw = 0;
  pid_t result;
  do {
    result = ::waitpid(pid_, &raw, options);
  } while (result < 0 && errno == EINTR);
  if (result != pid_) return false;
  ExitStatus status;
  status.exited = WIFEXITED(raw);
  status.code = status.exited ? WEXITSTATUS(raw) : 0;
  status.signal = WIFSIGNALED(raw) ? WTERMSIG(raw) : 0;
  status_ = status;
  return true;
}

bool ChildProcess::running() { return !reap(WNOHANG); }

void ChildProcess::send_signal(int signal) {
  if (running()) ::kill(pid_, signal);
}

std::optional<ExitStatus> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(poll_interval);
  }
  return status_;
}

bool ChildProcess::wait_for_port(unsigned short port, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running() && std::chrono::steady_clock::now() < deadline) {
    if (accepts_connections(port)) return true;
    std::this_thread::sleep_for(poll_interval);
  }
  return false;
}

bool ChildProcess::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool alive = running();  // read after: output written just before exiting still counts
    if (output().find(needle) != std::string::npos) return true;
    if (!alive || std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(poll_interval);
  }
}

std::string ChildProcess::output() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

RunResult run_to_completion(std::string program, std::vector<std::string> args, Environment env,
                            std::string log_path, std::chrono::milliseconds timeout) {
  ChildProcess child(std::move(program), std::move(args), std::move(env), std::move(log_path));
  std::optional<ExitStatus> status = child.wait_for_exit(timeout);
  if (!status) {
    child.send_signal(SIGKILL);
    status = child.wait_for_exit(std::chrono::seconds(5));
  }
  return RunResult{status.value_or(ExitStatus{}), child.output()};
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

CommandResult run_command(std::string program, std::vector<std::string> args, Environment env,
                          const std::string& files_prefix, std::chrono::milliseconds timeout, std::string_view input) {
  Streams streams{files_prefix + ".out", files_prefix + ".err", files_prefix + ".in"};
  for (const std::string& path : {streams.stdout_path, streams.stderr_path}) std::ofstream(path, std::ios::trunc);
  std::ofstream(streams.stdin_path, std::ios::binary | std::ios::trunc) << input;
  ExitStatus status;
  {
    ChildProcess child(std::move(program), std::move(args), std::move(env), streams);
    std::optional<ExitStatus> exited = child.wait_for_exit(timeout);
    if (!exited) {
      child.send_signal(SIGKILL);
      exited = child.wait_for_exit(std::chrono::seconds(5));
    }
    status = exited.value_or(ExitStatus{});
  }
  return CommandResult{status, read_file(streams.stdout_path), read_file(streams.stderr_path)};
}

}  // namespace test_support
