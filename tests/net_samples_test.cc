// Copyright 2026 The mco Authors.
//
// End-to-end tests of the network samples: each server runs under the
// built `mco-run` on a free loopback port (it announces it on its first
// line), is driven by real clients (echo_client, curl, raw sockets in this
// test), and is stopped with SIGTERM, after which it must say
// `shutting down` and exit 0.
//
// Every wait is bounded: sockets have receive and send timeouts, the
// processes have deadlines. The working directory is the runfiles root of
// workspace `mco`, so the binaries are found at their workspace paths.
//
// curl must be installed (tools/install_deps.sh installs it).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/process_util.h"
#include "tests/raw_client.h"
#include "tests/sample_server.h"

namespace {

using mco_test::Process;
using mco_test::ProcessResult;
using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kMcoRun[] = "launcher/mco-run";
constexpr char kEchoServer[] = "samples/echo_server/echo_server.so";
constexpr char kEchoClient[] = "samples/echo_client/echo_client.so";
constexpr char kHttpServer[] = "samples/http_server/http_server.so";
constexpr char kChat[] = "samples/chat/chat.so";

// The bound on a read or a write.
constexpr int kSocketTimeoutMs = 10000;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A sample server under mco-run (tests/sample_server.h).
using Server = mco_test::SampleServer;

// A blocking TCP client (tests/raw_client.h).
using Client = mco_test::RawClient;

// A port on which nothing listens: bound (so nobody else gets it) but not
// listening, so connecting to it is refused.
class DeadPort {
 public:
  DeadPort() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
  }
  ~DeadPort() { close(fd_); }
  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// --- echo --------------------------------------------------------------------

ProcessResult RunEchoClient(const std::vector<std::string>& args) {
  std::vector<std::string> words = {"--workers", "2", kEchoClient, "--"};
  words.insert(words.end(), args.begin(), args.end());
  return mco_test::run_process(kMcoRun, words, "", seconds(120));
}

TEST(EchoSampleTest, ClientLoadsServerAndSummarises) {
  Server server(kEchoServer);
  ASSERT_TRUE(server.ok()) << server.describe();
  const ProcessResult r = RunEchoClient({server.address(), "20", "200", "64"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "") << r;
  EXPECT_THAT(r.out,
              MatchesRegex("20 connections x 200 messages of 64 bytes: 4000 "
                           "round trips in [0-9]+\\.[0-9][0-9] s = [0-9]+ "
                           "requests/s\n"))
      << r;
  server.expect_graceful_stop();
}

TEST(EchoSampleTest, ClientWithLargeMessages) {
  Server server(kEchoServer);
  ASSERT_TRUE(server.ok()) << server.describe();
  const ProcessResult r = RunEchoClient({server.address(), "4", "50", "65536"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, StartsWith("4 connections x 50 messages of 65536 bytes: "
                                "200 round trips in "))
      << r;
  server.expect_graceful_stop();
}

TEST(EchoSampleTest, ClientReportsAnUnreachableServer) {
  DeadPort dead;
  const ProcessResult r =
      RunEchoClient({"127.0.0.1:" + std::to_string(dead.port()), "3", "10"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_THAT(r.err, MatchesRegex("echo_client: connect 127\\.0\\.0\\.1:[0-9]+"
                                  ": Connection refused\n"))
      << r;
}

TEST(EchoSampleTest, ClientReportsWrongBytes) {
  // A false echo server: answers each 16-byte message reversed.
  const int ln = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof sa;
  ASSERT_EQ(bind(ln, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(listen(ln, 4), 0);
  ASSERT_EQ(getsockname(ln, reinterpret_cast<sockaddr*>(&sa), &len), 0);
  const timeval tv = {kSocketTimeoutMs / 1000, 0};
  setsockopt(ln, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);  // bounds accept
  std::thread liar([ln] {
    const int fd = accept4(ln, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    char msg[16];
    if (recv(fd, msg, sizeof msg, MSG_WAITALL) == sizeof msg) {
      std::reverse(msg, msg + sizeof msg);
      send(fd, msg, sizeof msg, MSG_NOSIGNAL);
    }
    close(fd);
  });
  const ProcessResult r = RunEchoClient(
      {"127.0.0.1:" + std::to_string(ntohs(sa.sin_port)), "1", "5", "16"});
  liar.join();
  close(ln);
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_EQ(r.err,
            "echo_client: connection 0, message 0: the server echoed "
            "different bytes\n")
      << r;
}

TEST(EchoSampleTest, ClientRejectsBadArguments) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {},
           {"nohostport"},
           {"127.0.0.1:7000", "0"},
           {"127.0.0.1:7000", "2", "x"},
           {"127.0.0.1:7000", "2", "2", "0"},
           {"127.0.0.1:7000", "2", "2", "65537"},
           {"127.0.0.1:7000", "1", "1", "1", "extra"}}) {
    const ProcessResult r = RunEchoClient(args);
    EXPECT_EQ(r.exit_code, 2) << r;
    EXPECT_EQ(r.out, "") << r;
    EXPECT_THAT(r.err, StartsWith("echo_client: ")) << r;
    EXPECT_EQ(Lines(r.err).size(), 1u) << r;
  }
}

// Sends `msg` and expects it back.
void ExpectEcho(Client& c, const std::string& msg) {
  ASSERT_TRUE(c.send(msg));
  EXPECT_EQ(c.read_n(msg.size()), msg);
}

TEST(EchoSampleTest, ServerSurvivesAbusiveClients) {
  Server server(kEchoServer);
  ASSERT_TRUE(server.ok()) << server.describe();
  const int baseline_fds = server.open_fds();
  ASSERT_GT(baseline_fds, 0);

  // Half-close: the rest comes back, then end of stream.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connected());
    ExpectEcho(c, "before");
    ASSERT_TRUE(c.send("after half-close"));
    c.shutdown_write();
    bool eof = false;
    EXPECT_EQ(c.read_to_eof(&eof), "after half-close");
    EXPECT_TRUE(eof);
  }
  // Garbage: every byte value, back exactly.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connected());
    std::string all;
    for (int i = 0; i < 4096; ++i) all.push_back(static_cast<char>(i & 0xff));
    ExpectEcho(c, all);
  }
  // A reset in the middle of a conversation, and a reset right away.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connected());
    ExpectEcho(c, "about to reset");
    ASSERT_TRUE(c.send("unread echo"));
    c.reset();
    Client d(server.port());
    ASSERT_TRUE(d.connected());
    d.reset();
  }
  // Slow: a byte at a time.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connected());
    for (char ch : std::string("slowly")) ExpectEcho(c, std::string(1, ch));
  }
  // A reader that lags: 4 MiB sent by a thread while this one reads, more
  // than the socket buffers hold, so the server waits on its writes.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connected());
    std::string big(4 << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) {
      big[i] = static_cast<char>((i * 31) >> 3);
    }
    bool sent = false;
    std::thread writer([&] { sent = c.send(big); });
    const std::string back = c.read_n(big.size());
    writer.join();
    EXPECT_TRUE(sent);
    EXPECT_EQ(back.size(), big.size());
    EXPECT_TRUE(back == big) << "4 MiB came back different";
  }
  // The server is still up, and every connection's descriptor is gone.
  {
    Client c(server.port());
    ASSERT_TRUE(c.connected());
    ExpectEcho(c, "still there?");
  }
  EXPECT_EQ(server.wait_for_fds_at_most(baseline_fds), baseline_fds);
  server.expect_graceful_stop();
}

// --- http --------------------------------------------------------------------

// curl, found on PATH or in the usual places; "" if it is not installed.
std::string CurlPath() {
  std::vector<std::string> dirs;
  if (const char* path = std::getenv("PATH")) {
    std::istringstream in(path);
    for (std::string d; std::getline(in, d, ':');) dirs.push_back(d);
  }
  dirs.insert(dirs.end(), {"/usr/bin", "/usr/local/bin", "/bin"});
  for (const std::string& d : dirs) {
    const std::string p = d + "/curl";
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

ProcessResult Curl(const std::vector<std::string>& args) {
  const std::string curl = CurlPath();
  std::vector<std::string> words = {"--silent", "--show-error", "--max-time",
                                    "10"};
  words.insert(words.end(), args.begin(), args.end());
  return mco_test::run_process(curl, words, "", seconds(30));
}

class HttpSampleTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(CurlPath(), "")
        << "curl is not installed; this test needs it (tools/install_deps.sh "
           "installs it: apt-get install curl)";
    server_ = std::make_unique<Server>(kHttpServer);
    ASSERT_TRUE(server_->ok()) << server_->describe();
  }
  void TearDown() override {
    if (server_ != nullptr && server_->ok()) server_->expect_graceful_stop();
  }

  std::unique_ptr<Server> server_;
};

// A parsed response: the status line, headers (names in lower case) and
// the body (by Content-Length).
struct HttpResponse {
  std::string status_line;
  std::map<std::string, std::string> headers;
  std::string body;
};

std::optional<HttpResponse> ReadResponse(Client& c, bool head = false) {
  HttpResponse r;
  std::optional<std::string> line = c.read_line();
  if (!line) return std::nullopt;
  r.status_line = *line;
  for (;;) {
    line = c.read_line();
    if (!line) return std::nullopt;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    if (line->empty()) break;
    const size_t colon = line->find(':');
    if (colon == std::string::npos) return std::nullopt;
    std::string name = line->substr(0, colon);
    for (char& ch : name)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers[name] = line->substr(line->find_first_not_of(' ', colon + 1));
  }
  if (!r.status_line.empty() && r.status_line.back() == '\r') {
    r.status_line.pop_back();
  }
  if (head) return r;
  const size_t length = std::stoul(r.headers["content-length"]);
  r.body = c.read_n(length);
  if (r.body.size() != length) return std::nullopt;
  return r;
}

TEST_F(HttpSampleTest, CurlGetsHelloWorld) {
  const ProcessResult r = Curl({"-i", server_->url("/")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, StartsWith("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_THAT(r.out, HasSubstr("\r\nContent-Length: 14\r\n")) << r;
  EXPECT_THAT(r.out, HasSubstr("\r\nContent-Type: text/plain")) << r;
  EXPECT_THAT(r.out, EndsWith("\r\n\r\nHello, World!\n")) << r;
}

TEST_F(HttpSampleTest, CurlReusesTheConnection) {
  const ProcessResult r =
      Curl({"-v", server_->url("/"), server_->url("/nope")});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "Hello, World!\n404 page not found\n") << r;
  EXPECT_THAT(r.err, HasSubstr("Re-using existing connection")) << r;
  EXPECT_THAT(r.err, Not(HasSubstr("Closing connection"))) << r;
}

TEST_F(HttpSampleTest, CurlStatusCodesAndEcho) {
  ProcessResult r =
      Curl({"-o", "/dev/null", "-w", "%{http_code}", server_->url("/nope")});
  EXPECT_EQ(r.out, "404") << r;
  r = Curl({"-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE",
            server_->url("/")});
  EXPECT_EQ(r.out, "405") << r;
  r = Curl({"-I", server_->url("/?q=1")});  // HEAD: headers only
  EXPECT_THAT(r.out, StartsWith("HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_THAT(r.out, HasSubstr("Content-Length: 14\r\n")) << r;
  EXPECT_THAT(r.out, Not(HasSubstr("Hello"))) << r;
  r = Curl({"--data-binary", "ping\npong", server_->url("/echo")});
  EXPECT_EQ(r.out, "ping\npong") << r;
}

// Writes `size` bytes of `c` to a file in the test's temporary directory.
std::string WriteBodyFile(const std::string& name, size_t size, char c) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path =
      std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  const std::string body(size, c);
  FILE* f = std::fopen(path.c_str(), "w");
  EXPECT_NE(f, nullptr) << path;
  if (f != nullptr) {
    std::fwrite(body.data(), 1, body.size(), f);
    std::fclose(f);
  }
  return path;
}

TEST_F(HttpSampleTest, CurlPostsLargeBodies) {
  // 1 MiB, the most /echo takes, after an interim "100 Continue".
  const std::string mib = WriteBodyFile("mib.txt", 1 << 20, 'b');
  ProcessResult r = Curl({"-v", "-H", "Expect: 100-continue", "--data-binary",
                          "@" + mib, server_->url("/echo")});
  EXPECT_THAT(r.err, HasSubstr("< HTTP/1.1 100 Continue")) << r.err;
  EXPECT_EQ(r.out.size(), size_t{1} << 20) << r.err;
  EXPECT_TRUE(r.out == std::string(1 << 20, 'b'));
  // More: 413 at once, without waiting for the body.
  const std::string more = WriteBodyFile("more.txt", 3 << 20, 'c');
  r = Curl({"-v", "-H", "Expect: 100-continue", "--data-binary", "@" + more,
            server_->url("/echo")});
  EXPECT_THAT(r.err, HasSubstr("< HTTP/1.1 413 Content Too Large")) << r.err;
  EXPECT_THAT(r.err, Not(HasSubstr("100 Continue"))) << r.err;
  EXPECT_EQ(r.out, "413 Content Too Large\n") << r;
}

TEST_F(HttpSampleTest, PipelinedRequestsAreAnsweredInOrder) {
  Client c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
             "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nfirst"
             "POST /echo HTTP/1.1\r\nHost: t\r\n\r\n"  // no body
             "GET / HTTP/1.1\r\nHost: t\r\n\r\n"
             "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n"
             "Connection: close\r\n\r\nsecond"));
  std::optional<HttpResponse> r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_line, "HTTP/1.1 404 Not Found");
  r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r->body, "first");
  r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r->body, "");
  r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "Hello, World!\n");
  r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "second");
  EXPECT_EQ(r->headers["connection"], "close");
  bool eof = false;
  EXPECT_EQ(c.read_to_eof(&eof), "");
  EXPECT_TRUE(eof);
}

TEST_F(HttpSampleTest, RequestSplitAcrossWritesWaitsForItsEnd) {
  Client c(server_->port());
  ASSERT_TRUE(c.connected());
  for (const char* piece : {"GE", "T / HTTP/1.1\r", "\nHost:", " t\r\n",
                            "Content-Length: 3\r\n\r", "\nab"}) {
    ASSERT_TRUE(c.send(piece));
    EXPECT_FALSE(c.readable_within(milliseconds(50)))
        << "answered before the request was complete";
  }
  ASSERT_TRUE(c.send("c"));
  std::optional<HttpResponse> r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r->body, "Hello, World!\n");
  // The connection stays usable (keep-alive), also with bare "\n" lines.
  ASSERT_TRUE(c.send("GET / HTTP/1.1\nHost: t\n\n"));
  r = ReadResponse(c);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "Hello, World!\n");
}

TEST_F(HttpSampleTest, Http10ClosesUnlessAskedToKeepAlive) {
  {
    Client c(server_->port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send("GET / HTTP/1.0\r\n\r\n"));
    std::optional<HttpResponse> r = ReadResponse(c);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "Hello, World!\n");
    EXPECT_EQ(r->headers["connection"], "close");
    bool eof = false;
    EXPECT_EQ(c.read_to_eof(&eof), "");
    EXPECT_TRUE(eof);
  }
  {
    Client c(server_->port());
    ASSERT_TRUE(c.connected());
    for (int i = 0; i < 2; ++i) {
      ASSERT_TRUE(c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
      std::optional<HttpResponse> r = ReadResponse(c);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->body, "Hello, World!\n");
      EXPECT_EQ(r->headers["connection"], "keep-alive");
    }
  }
}

TEST_F(HttpSampleTest, MalformedRequestsGet400AndAClose) {
  const int baseline_fds = server_->open_fds();
  const std::string big_header =
      "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(9000, 'a') +
      "\r\n\r\n";
  const std::vector<std::string> cases = {
      "GARBAGE\r\n\r\n",
      "GET /\r\nHost: t\r\n\r\n",
      "GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n",
      "GET / HTTP/2.0\r\nHost: t\r\n\r\n",
      "G(T / HTTP/1.1\r\nHost: t\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : t\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: t\r\nX: a\x01b\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",  // no Host
      "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n"
      "Content-Length: 2\r\n\r\nab",
      big_header,
      "GET / HTTP/1.1\r\nHost: t\r\n" + std::string(20000, 'x'),  // no end
  };
  for (const std::string& request : cases) {
    SCOPED_TRACE(request.substr(0, 60));
    Client c(server_->port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send(request));
    std::optional<HttpResponse> r = ReadResponse(c);
    ASSERT_TRUE(r);
    // Heads over the 8 KiB limit get 431 (mco/net/http, as Go).
    EXPECT_EQ(r->status_line,
              request.size() > 8192
                  ? "HTTP/1.1 431 Request Header Fields Too Large"
                  : "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(r->headers["connection"], "close");
    bool eof = false;
    c.read_to_eof(&eof);
    EXPECT_TRUE(eof);
  }
  // Still serving, and every connection's descriptor is gone.
  const ProcessResult r = Curl({server_->url("/")});
  EXPECT_EQ(r.out, "Hello, World!\n") << r;
  EXPECT_EQ(server_->wait_for_fds_at_most(baseline_fds), baseline_fds);
}

// --- chat --------------------------------------------------------------------

class ChatSampleTest : public testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Server>(kChat);
    ASSERT_TRUE(server_->ok()) << server_->describe();
  }
  void TearDown() override {
    if (server_ != nullptr && server_->ok()) server_->expect_graceful_stop();
  }

  // Connects a client and checks its welcome line.
  std::unique_ptr<Client> Join(int n) {
    auto c = std::make_unique<Client>(server_->port());
    EXPECT_TRUE(c->connected());
    EXPECT_EQ(c->read_line().value_or("<nothing>"),
              "welcome, you are guest-" + std::to_string(n));
    return c;
  }

  std::unique_ptr<Server> server_;
};

TEST_F(ChatSampleTest, BroadcastReachesTheOthersAndLeavesAreAnnounced) {
  auto c1 = Join(1);
  auto c2 = Join(2);
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "* guest-2 joined");
  auto c3 = Join(3);
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "* guest-3 joined");
  EXPECT_EQ(c2->read_line().value_or("<nothing>"), "* guest-3 joined");

  ASSERT_TRUE(c1->send("hello, room\r\n"));
  EXPECT_EQ(c2->read_line().value_or("<nothing>"), "guest-1: hello, room");
  EXPECT_EQ(c3->read_line().value_or("<nothing>"), "guest-1: hello, room");
  // The sender's next line is the next message of someone else, not its
  // own (the hub handles messages in order).
  ASSERT_TRUE(c2->send("hi\n\n"));  // the empty line is ignored
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "guest-2: hi");
  EXPECT_EQ(c3->read_line().value_or("<nothing>"), "guest-2: hi");

  c3->close();
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "* guest-3 left");
  EXPECT_EQ(c2->read_line().value_or("<nothing>"), "* guest-3 left");
  c2->reset();
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "* guest-2 left");
  EXPECT_FALSE(c1->readable_within(milliseconds(50)));
}

TEST_F(ChatSampleTest, OverlongLineDisconnectsWithAnError) {
  auto c1 = Join(1);
  auto c2 = Join(2);
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "* guest-2 joined");
  ASSERT_TRUE(c2->send(std::string(4096, 'x') + "\n"));  // just fits
  EXPECT_EQ(c1->read_line().value_or("<nothing>"),
            "guest-2: " + std::string(4096, 'x'));
  ASSERT_TRUE(c2->send(std::string(5000, 'y') + "\n"));
  EXPECT_EQ(c2->read_line().value_or("<nothing>"),
            "error: line longer than 4096 bytes");
  bool eof = false;
  EXPECT_EQ(c2->read_to_eof(&eof), "");
  EXPECT_TRUE(eof);
  EXPECT_EQ(c1->read_line().value_or("<nothing>"), "* guest-2 left");
}

TEST_F(ChatSampleTest, ClientThatDoesNotReadIsDropped) {
  // guest-1 reads its welcome, then nothing, through a tiny receive buffer.
  Client slow(server_->port(), 4096);
  ASSERT_TRUE(slow.connected());
  EXPECT_EQ(slow.read_line().value_or("<nothing>"), "welcome, you are guest-1");
  auto talker = Join(2);
  // guest-2 talks until the kernel's buffers for guest-1 (4 MB at most)
  // and then its outbox are full.
  const std::string text(4000, 'z');
  bool sent = true;
  std::thread sender([&] {
    for (int i = 0; i < 2000 && sent; ++i) sent = talker->send(text + "\n");
  });
  EXPECT_EQ(talker->read_line().value_or("<nothing>"),
            "* guest-1 left (too slow)");
  sender.join();
  EXPECT_TRUE(sent);
  // guest-1 gets what was queued for it, in whole lines, then the end.
  bool eof = false;
  const std::string got = slow.read_to_eof(&eof);
  EXPECT_TRUE(eof);
  const std::string first = "* guest-2 joined\n";
  const std::string each = "guest-2: " + text + "\n";
  ASSERT_GT(got.size(), first.size());
  EXPECT_EQ(got.substr(0, first.size()), first);
  EXPECT_EQ((got.size() - first.size()) % each.size(), 0u) << got.size();
  EXPECT_LT(got.size(), 2000 * each.size()) << "nothing was dropped";
}

// --- all servers -------------------------------------------------------------

// Also: SIGINT stops them as SIGTERM does.
TEST(NetSamplesTest, ServersRejectABadAddressAndReportABusyPort) {
  for (const char* module : {kEchoServer, kHttpServer, kChat}) {
    SCOPED_TRACE(module);
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{
             {"no-port-here"}, {"127.0.0.1:99999"}, {"127.0.0.1:0", "more"}}) {
      std::vector<std::string> words = {module, "--"};
      words.insert(words.end(), args.begin(), args.end());
      const ProcessResult r = mco_test::run_process(kMcoRun, words);
      EXPECT_EQ(r.exit_code, 2) << r;
      EXPECT_EQ(Lines(r.err).size(), 1u) << r;
      EXPECT_EQ(r.out, "") << r;
    }

    Server first(module);
    ASSERT_TRUE(first.ok()) << first.describe();
    const ProcessResult r =
        mco_test::run_process(kMcoRun, {module, "--", first.address()});
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_THAT(r.err, HasSubstr("Address already in use")) << r;
    EXPECT_EQ(Lines(r.err).size(), 1u) << r;
    first.expect_graceful_stop(SIGINT);
  }
}

}  // namespace
