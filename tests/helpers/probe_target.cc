// A process for the user-space probe tests to follow. It waits for a line
// on standard input, then calls malloc and fires its USDT probe
// pmdabcc_test:tick COUNT times each (and, given LIBRARY, the suite's
// probe library loaded from that path, calls its pmdabcc_library_tick
// COUNT times), prints "done", and exits at the end of its input.
//   probe_target COUNT [LIBRARY]
#include <dlfcn.h>
#include <sys/sdt.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  long count = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100;
  long (*library_tick)(long) = nullptr;
  if (argc > 2) {
    void* library = dlopen(argv[2], RTLD_NOW);
    if (library)
      library_tick = reinterpret_cast<long (*)(long)>(dlsym(library, "pmdabcc_library_tick"));
    if (!library_tick) {
      const char* why = dlerror();
      std::cerr << "probe_target: " << argv[2] << ": " << (why ? why : "no pmdabcc_library_tick")
                << std::endl;
      return 1;
    }
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    for (long i = 0; i < count; i++) {
      // volatile: the compiler may not drop a malloc whose result is unused
      void* volatile p = std::malloc(64);
      std::free(p);
      DTRACE_PROBE1(pmdabcc_test, tick, i);
    }
    if (library_tick)
      for (long i = 0; i < count; i++) library_tick(i);
    std::cout << "done" << std::endl;
  }
  return 0;
}
