// Descriptors and the manifest from a loader to the agent.
#include "loader/fd_passing.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <thread>

using namespace bcc;
using namespace bcc::loader;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

struct SocketPair {
  int loader = -1, agent = -1;
  SocketPair() {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == 0) {
      loader = sv[0];
      agent = sv[1];
    }
  }
  ~SocketPair() {
    if (loader >= 0) close(loader);
    if (agent >= 0) close(agent);
  }
};

std::string text_of(int fd) {
  char buf[64];
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

ino_t inode_of(int fd) {
  struct stat st {};
  fstat(fd, &st);
  return st.st_ino;
}

size_t open_fds() {
  size_t count = 0;
  for (int fd = 0; fd < 4096; fd++)
    if (fcntl(fd, F_GETFD) >= 0) count++;
  return count;
}

TEST(FdPassing, HundredsOfDescriptorsArriveInOrderWithTheManifest) {
  struct rlimit lim {};
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 2048 && lim.rlim_max >= 2048) {
    lim.rlim_cur = 2048;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
  SocketPair sp;
  ASSERT_GE(sp.loader, 0);
  // memfds holding their own position, and every 18th place a pipe (both ends)
  std::vector<int> sent;
  while (sent.size() < 450) {
    if (sent.size() % 18 == 17 && sent.size() < 449) {
      int p[2];
      ASSERT_EQ(pipe2(p, O_CLOEXEC), 0);
      sent.push_back(p[0]);
      sent.push_back(p[1]);
      continue;
    }
    sent.push_back(text_memfd("test", std::to_string(sent.size())));
  }
  ASSERT_EQ(sent.size(), 450u);
  std::string manifest = "{\"error\": \"line\\nbreak\"}\n" + std::string(100000, 'x');
  int manifest_fd = text_memfd("manifest", manifest);

  std::thread loader([&] { send_descriptors(sp.loader, sent, manifest_fd); });
  Received got = receive_descriptors(sp.agent, steady_clock::now() + std::chrono::seconds(10));
  loader.join();

  EXPECT_EQ(got.manifest, manifest);
  ASSERT_EQ(got.fds.size(), sent.size());
  for (size_t i = 0; i < sent.size(); i++) {
    EXPECT_EQ(inode_of(got.fds[i]), inode_of(sent[i])) << i;
    EXPECT_TRUE(fcntl(got.fds[i], F_GETFD) & FD_CLOEXEC) << i;  // MSG_CMSG_CLOEXEC
  }
  EXPECT_EQ(text_of(got.fds[0]), "0");
  EXPECT_EQ(text_of(got.fds[449]), "449");
  EXPECT_EQ(text_of(got.fds[250]), "250");
  EXPECT_EQ(text_of(got.fds[200]), text_of(sent[200]));
  for (int fd : sent) close(fd);
  for (int fd : got.fds) close(fd);
  close(manifest_fd);
}

TEST(FdPassing, NoDescriptorsIsOneManifestMessage) {
  SocketPair sp;
  int manifest_fd = text_memfd("manifest", "{}");
  send_descriptors(sp.loader, {}, manifest_fd);
  close(manifest_fd);
  Received got = receive_descriptors(sp.agent, steady_clock::now() + milliseconds(1000));
  EXPECT_TRUE(got.fds.empty());
  EXPECT_EQ(got.manifest, "{}");
}

TEST(FdPassing, EndOfFileBeforeTheManifestClosesWhatArrived) {
  size_t before = open_fds();
  // a loader that sent descriptors and died before its manifest
  SocketPair sp;
  int fd = text_memfd("a", "a");
  const char payload[] = "fds";
  struct iovec iov {
    const_cast<char*>(payload), 3
  };
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  ASSERT_EQ(sendmsg(sp.loader, &msg, 0), 3);
  close(fd);
  close(sp.loader);
  sp.loader = -1;
  try {
    receive_descriptors(sp.agent, steady_clock::now() + milliseconds(1000));
    FAIL() << "no exception";
  } catch (const LoaderTimeout&) {
    FAIL() << "a timeout, not EOF";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "loader exited before reporting");
  }
  close(sp.agent);
  sp.agent = -1;
  EXPECT_EQ(open_fds(), before);  // the received memfd was closed
}

TEST(FdPassing, DeadlineThrowsLoaderTimeout) {
  SocketPair sp;
  auto start = steady_clock::now();
  EXPECT_THROW(receive_descriptors(sp.agent, start + milliseconds(100)), LoaderTimeout);
  EXPECT_GE(steady_clock::now() - start, milliseconds(100));
  EXPECT_LT(steady_clock::now() - start, milliseconds(2000));
  // a deadline already past
  EXPECT_THROW(receive_descriptors(sp.agent, start), LoaderTimeout);
}

TEST(FdPassing, AManifestThatIsNotAFileIsRefused) {
  SocketPair sp;
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  send_descriptors(sp.loader, {}, p[0]);  // a pipe would block the reader
  EXPECT_THROW(receive_descriptors(sp.agent, steady_clock::now() + milliseconds(1000)),
               std::runtime_error);
  close(p[0]);
  close(p[1]);
}

TEST(FdPassing, AnUnknownMessageIsRefused) {
  SocketPair sp;
  ASSERT_EQ(send(sp.loader, "hello", 5, 0), 5);
  EXPECT_THROW(receive_descriptors(sp.agent, steady_clock::now() + milliseconds(1000)),
               std::runtime_error);
}

TEST(FdPassing, SendingToAClosedPeerThrowsWithoutSigpipe) {
  SocketPair sp;
  close(sp.agent);
  sp.agent = -1;
  int m = text_memfd("manifest", "{}");
  EXPECT_THROW(send_descriptors(sp.loader, {}, m), std::runtime_error);
  close(m);
}

TEST(FdPassing, TextMemfdIsSealed) {
  int fd = text_memfd("t", "abc");
  EXPECT_EQ(text_of(fd), "abc");
  EXPECT_LT(write(fd, "x", 1), 0);
  close(fd);
}

}  // namespace
