// wsgi_host: a small HTTP/1.1 server that embeds CPython and runs a WSGI
// application, with each request body streamed into a chunkbuf Stream
// that the handler reads (as environ["wsgi.input"]) while it arrives.
//
//   wsgi_host --app module:callable [--workers N] [--high-water BYTES]
//             [--max-connections N] [--port N]
//
// Listens on 127.0.0.1 only (port 0: the OS picks one), prints
// "listening on 127.0.0.1:PORT" once ready, and stops on SIGINT/SIGTERM.
// One I/O thread per connection reads requests and bodies; --workers
// threads run the application. PYTHONPATH must reach wsgi_glue.py, the
// chunkbuf package and the application.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "connection.h"
#include "python_app.h"

namespace {

int g_signal_pipe[2] = {-1, -1};

void on_signal(int) {
  char c = 1;
  ssize_t ignored = write(g_signal_pipe[1], &c, 1);
  (void)ignored;
}

struct Options {
  std::string app;
  int workers = 8;
  int port = 0;
  int max_connections = 256;
  wsgi_host::Config cfg;
};

bool parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    char* end = nullptr;
    long long n = std::strtoll(v, &end, 10);
    bool num = *v != '\0' && *end == '\0' && n >= 0;
    if (a == "--app") o->app = v;
    else if (a == "--workers" && num && n >= 1 && n <= 256) o->workers = static_cast<int>(n);
    else if (a == "--port" && num && n <= 65535) o->port = static_cast<int>(n);
    else if (a == "--max-connections" && num && n >= 1 && n <= 65536) o->max_connections = static_cast<int>(n);
    else if (a == "--high-water" && num) o->cfg.high_water = static_cast<size_t>(n);
    else return false;
  }
  return !o->app.empty();
}

// Connection threads; finished ones are joined by the accept loop.
struct Live {
  std::thread thread;
  int fd;
  std::atomic<bool> finished{false};
};

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  if (!parse(argc, argv, &opt)) {
    std::fprintf(stderr,
                 "usage: %s --app module:callable [--workers N] [--high-water BYTES] "
                 "[--max-connections N] [--port N]\n",
                 argv[0]);
    return 2;
  }
  if (pipe2(g_signal_pipe, O_CLOEXEC) != 0) return 1;
  struct sigaction sa{};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  wsgi_host::PythonApp py;
  std::string err;
  if (!py.init(opt.app, &err)) {
    std::fprintf(stderr, "wsgi_host: %s\n", err.c_str());
    return 1;
  }
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(opt.port));
  socklen_t alen = sizeof addr;
  if (lfd < 0 || bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(lfd, 128) != 0 ||
      getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) {
    std::fprintf(stderr, "wsgi_host: cannot listen: %s\n", std::strerror(errno));
    py.stop();
    return 1;
  }
  int port = ntohs(addr.sin_port);
  py.start(opt.workers);
  std::printf("listening on 127.0.0.1:%d\n", port);
  std::fflush(stdout);

  auto dispatch = [&py](std::shared_ptr<wsgi_host::Request> r) { py.submit(std::move(r)); };
  std::list<Live> live;
  std::mutex live_mu;  // guards the fds shutdown() reaches at exit
  for (;;) {  // one pass per accepted connection; ends on SIGINT/SIGTERM
    pollfd p[2] = {{lfd, POLLIN, 0}, {g_signal_pipe[0], POLLIN, 0}};
    if (poll(p, 2, -1) < 0 && errno != EINTR) break;
    if (p[1].revents != 0) break;
    for (auto it = live.begin(); it != live.end();) {  // reap finished connections
      if (it->finished.load()) {
        it->thread.join();
        std::lock_guard lk(live_mu);
        it = live.erase(it);
      } else {
        ++it;
      }
    }
    if ((p[0].revents & POLLIN) == 0) continue;
    sockaddr_in peer{};
    socklen_t plen = sizeof peer;
    int fd = accept4(lfd, reinterpret_cast<sockaddr*>(&peer), &plen, SOCK_CLOEXEC);
    if (fd < 0) continue;
    if (static_cast<int>(live.size()) >= opt.max_connections) {
      static const char k503[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      wsgi_host::send_all(fd, k503, sizeof k503 - 1);
      close(fd);
      continue;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char ip[INET_ADDRSTRLEN] = "";
    inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
    std::lock_guard lk(live_mu);
    Live& l = live.emplace_back();
    l.fd = fd;
    l.thread = std::thread([&l, &opt, &dispatch, fd, port, peer_ip = std::string(ip), pport = ntohs(peer.sin_port)] {
      wsgi_host::serve_connection(fd, peer_ip, pport, port, opt.cfg, dispatch);
      l.finished.store(true);
    });
  }
  close(lfd);
  {
    std::lock_guard lk(live_mu);
    for (Live& l : live)
      if (!l.finished.load()) shutdown(l.fd, SHUT_RDWR);  // wakes its reads; the handler sees an abort
  }
  for (Live& l : live) l.thread.join();
  py.stop();
  return 0;
}
