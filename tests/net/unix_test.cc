// Copyright 2026 The mco Authors.

#include "mco/net/unix.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "gtest/gtest.h"
#include "mco/go.h"
#include "tests/test_util.h"

namespace mco::net {
namespace {

using mco_test::scaled;
using mco_test::WorkersTest;

// A path in a fresh directory under /tmp: TEST_TMPDIR is often longer than
// the 107 bytes a Unix socket path may have.
std::string socket_path(const char* name) {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/mco-unix-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir + "/" + name;
}

class UnixTest : public WorkersTest {};

TEST_P(UnixTest, ListenerAndStreamsEcho) {
  on_scheduler([] {
    const std::string path = socket_path("echo.sock");
    auto ln = UnixListener::bind(path, {.remove_existing = true});
    ASSERT_TRUE(ln.ok()) << ln.status();
    EXPECT_EQ(ln->local_address()->path(), path);
    const int kClients = scaled(50);
    auto server = go([&] {
      for (int i = 0; i < kClients; ++i) {
        auto c = ln->accept();
        ASSERT_TRUE(c.ok()) << c.status();
        go([c = std::move(*c)]() mutable {
          char buf[256];
          for (;;) {
            auto n = c.read(buf, sizeof buf);
            if (!n.ok() || *n == 0) return;
            if (!c.write_all(buf, *n).ok()) return;
          }
        }).detach();
      }
    });
    std::vector<JoinHandle<bool>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(go([&, i] {
        auto c = UnixStream::connect(path);
        if (!c.ok()) return false;
        const std::string msg = "unix " + std::to_string(i);
        if (!c->write_all(msg).ok()) return false;
        std::string back(msg.size(), '\0');
        return c->read_exact(back.data(), back.size()).ok() && back == msg;
      }));
    }
    for (auto& c : clients) EXPECT_TRUE(c.join());
    server.join();
    ASSERT_TRUE(ln->close().ok());
    unlink(path.c_str());
  });
}

TEST_P(UnixTest, BindOverAnExistingSocketFileNeedsRemoveExisting) {
  on_scheduler([] {
    const std::string path = socket_path("stale.sock");
    unlink(path.c_str());
    {
      auto ln = UnixListener::bind(path);
      ASSERT_TRUE(ln.ok());
    }  // closed, the file stays
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    auto again = UnixListener::bind(path);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.status().message().find(path), std::string::npos);
    auto replaced = UnixListener::bind(path, {.remove_existing = true});
    EXPECT_TRUE(replaced.ok()) << replaced.status();
    unlink(path.c_str());
  });
}

TEST_P(UnixTest, AbstractSocketAndMissingPath) {
  on_scheduler([] {
    const std::string name = "@mco-unix-test-" + std::to_string(getpid());
    auto ln = UnixListener::bind(name);
    ASSERT_TRUE(ln.ok()) << ln.status();
    auto c = UnixStream::connect(name);
    ASSERT_TRUE(c.ok()) << c.status();
    auto s = ln->accept();
    ASSERT_TRUE(s.ok());

    auto missing = UnixStream::connect(socket_path("missing.sock"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound)
        << missing.status();
  });
}

TEST_P(UnixTest, PairHalfCloseAndCloseUnderReader) {
  on_scheduler([] {
    auto p = UnixStream::pair();
    ASSERT_TRUE(p.ok());
    auto& [a, b] = *p;
    ASSERT_TRUE(a.write_all("bye").ok());
    ASSERT_TRUE(a.shutdown(ShutdownHow::kWrite).ok());
    char buf[8];
    ASSERT_TRUE(b.read_exact(buf, 3).ok());
    EXPECT_EQ(*b.read(buf, sizeof buf), 0u);  // EOF
    auto reader = go([&] { return a.read(buf, sizeof buf).status(); });
    ASSERT_TRUE(a.close().ok());
    EXPECT_EQ(reader.join().code(), absl::StatusCode::kFailedPrecondition);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, UnixTest, ::testing::Values(1, 2, 4));

}  // namespace
}  // namespace mco::net
