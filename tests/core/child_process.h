// Runs a test body in a forked child bounded by a deadline, for hazards that
// kill the process (a signal) or hang it (a deadlock): the parent waits for
// the child with a timeout and kills it when the deadline passes, so a hang
// fails the test instead of stalling the suite.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <string>

namespace chunkbuf::test {

struct ChildResult {
  bool timed_out = false;
  int status = 0;  // as waitpid reports it
  bool ok() const { return !timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0; }
  std::string describe() const {
    if (timed_out) return "the child hung past its deadline";
    if (WIFSIGNALED(status)) return "the child died of signal " + std::to_string(WTERMSIG(status));
    return "the child exited with " + std::to_string(WEXITSTATUS(status));
  }
};

// body returns the child's exit code (0: passed). Runs in a process with one
// thread: the forking one.
inline ChildResult run_in_child(const std::function<int()>& body, int deadline_ms) {
  ChildResult r;
  pid_t pid = fork();
  if (pid < 0) {
    r.status = 255 << 8;
    return r;
  }
  if (pid == 0) _exit(body());
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (;;) {
    pid_t w = waitpid(pid, &r.status, WNOHANG);
    if (w == pid) return r;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
    if (elapsed > deadline_ms) {
      kill(pid, SIGKILL);
      waitpid(pid, &r.status, 0);
      r.timed_out = true;
      return r;
    }
    struct timespec tick = {0, 2 * 1000 * 1000};
    nanosleep(&tick, nullptr);  // polling a child's exit, not waiting on chunkbuf state
  }
}

}  // namespace chunkbuf::test
