// A process for the user-space probe tests to follow. It waits for a line
// on standard input, then calls malloc and fires its USDT probe
// pmdabcc_test:tick COUNT times each, prints "done", and exits at the end
// of its input.
//   probe_target COUNT
#include <sys/sdt.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  long count = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100;
  std::string line;
  while (std::getline(std::cin, line)) {
    for (long i = 0; i < count; i++) {
      // volatile: the compiler may not drop a malloc whose result is unused
      void* volatile p = std::malloc(64);
      std::free(p);
      DTRACE_PROBE1(pmdabcc_test, tick, i);
    }
    std::cout << "done" << std::endl;
  }
  return 0;
}
