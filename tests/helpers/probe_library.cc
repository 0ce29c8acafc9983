// A shared library of the test suite's own, for uprobes on a library: the
// user-space probe tests attach to its function, load it into probe_target,
// and replace its file as a package upgrade would. Never a system library.
extern "C" {

// noinline and with a side effect: one call, one uprobe hit
__attribute__((noinline, visibility("default"))) long pmdabcc_library_tick(long i) {
  static volatile long sink;
  sink = sink + i;
  return sink;
}

}
