// A C++ program on chunkbuf.hpp, built by the install tests against an
// installed chunkbuf with CMake (find_package) and with meson
// (dependency('chunkbuf'), installed or as a subproject): a writer thread
// and a blocking line reader on a Stream, a Buffer handing out lines.
#include <chunkbuf.hpp>

#include <iostream>
#include <string>
#include <thread>

int main() {
  chunkbuf::stream s;
  const int count = 1000;
  std::thread writer([&s] {
    for (int i = 0; i < count; ++i) {
      std::string line = "event " + std::to_string(i) + "\n";
      s.write(std::string_view(line).substr(0, 3));  // lines arrive in pieces
      s.write(std::string_view(line).substr(3));
    }
    s.close();
  });
  int n = 0;
  for (const chunkbuf::view &line : s.lines()) {
    if (line != "event " + std::to_string(n) + "\n") {
      std::cerr << "unexpected line " << n << ": " << line.str();
      writer.join();
      return 1;
    }
    ++n;
  }
  writer.join();

  chunkbuf::buffer buf;
  buf.append("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  int lines = 0;
  for (const chunkbuf::view &line : buf.lines(CHUNKBUF_EOL_CRLF)) lines += line.empty() ? 0 : 1;
  try {
    buf.advance(1);  // nothing is left: an error, as an exception
    return 1;
  } catch (const chunkbuf::error &e) {
    std::cout << "c++ consumer: chunkbuf " << chunkbuf::version() << ", " << n << " stream lines, " << lines
              << " buffer lines, error '" << e.what() << "'\n";
  }
  return n == count && lines == 2 ? 0 : 1;
}
