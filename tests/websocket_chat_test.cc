// Copyright 2026 The mco Authors.
//
// End-to-end tests of samples/websocket_chat under mco-run, driven by real
// clients: curl for the page and the JSON endpoint, Python's websockets
// (tests/chat_peer.py) for chat clients, and a headless Chromium
// that loads the page and chats with a Python client through the server.
//
// Needs curl, python3-websockets and chromium (tools/install_deps.sh
// installs them). Every wait is bounded.

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/process_util.h"
#include "tests/sample_server.h"

namespace {

using mco_test::Process;
using mco_test::ProcessResult;
using mco_test::run_process;
using std::chrono::seconds;
using ::testing::HasSubstr;

constexpr char kMcoRun[] = "launcher/mco-run";
constexpr char kChat[] = "samples/websocket_chat/websocket_chat.so";
constexpr char kPeer[] = "tests/chat_peer.py";
constexpr char kPython[] = "/usr/bin/python3";
constexpr char kCurl[] = "/usr/bin/curl";
constexpr char kChromium[] = "/usr/bin/chromium";
constexpr auto kTimeout = seconds(30);

// The chat server under mco-run on a free port.
class ChatServer : public mco_test::SampleServer {
 public:
  ChatServer() : SampleServer(kChat) {}
  [[nodiscard]] std::string ws(const std::string& name) const {
    return "ws://" + address() + "/ws?name=" + name;
  }
};

// Waits (bounded) until `p` has printed the line `line`.
bool wait_for_line(const Process& p, const std::string& line) {
  const auto deadline = std::chrono::steady_clock::now() + kTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = "\n" + p.out();
    if (out.find("\n" + line + "\n") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::vector<std::string> peer_args(const std::string& url,
                                   std::vector<std::string> steps) {
  std::vector<std::string> args = {kPeer, url};
  args.insert(args.end(), steps.begin(), steps.end());
  return args;
}

TEST(WebSocketChatTest, PageStatsAndRefusedUpgradeOverHttp) {
  ChatServer server;
  ASSERT_TRUE(server.ok()) << server.err();
  ProcessResult page =
      run_process(kCurl, {"-sS", "--max-time", "20", server.url("/")});
  EXPECT_EQ(page.exit_code, 0) << page;
  EXPECT_THAT(page.out, HasSubstr("<title>mco chat</title>"));
  EXPECT_THAT(page.out, HasSubstr("new WebSocket("));

  ProcessResult stats =
      run_process(kCurl, {"-sS", "--max-time", "20", server.url("/api/stats")});
  EXPECT_EQ(stats.out, "{\"online\":0,\"messages\":0}") << stats;

  // A plain GET of the endpoint is not an upgrade: refused with 4xx.
  ProcessResult plain =
      run_process(kCurl, {"-s", "-o", "/dev/null", "-w", "%{http_code}",
                          "--max-time", "20", server.url("/ws")});
  EXPECT_THAT(plain.out, ::testing::AnyOf("400", "426")) << plain;
  server.expect_graceful_stop(SIGTERM, /*only_two_lines=*/false);
}

TEST(WebSocketChatTest, MessagesFanOutBetweenClients) {
  ChatServer server;
  ASSERT_TRUE(server.ok()) << server.err();
  Process alice(kPython,
                peer_args(server.ws("alice"),
                          {"expect:welcome, you are alice",
                           "expect:* bob joined", "expect:bob: hello alice",
                           "send:hi bob", "expect:* bob left"}));
  ASSERT_TRUE(wait_for_line(alice, "welcome, you are alice")) << alice.err();
  Process bob(kPython, peer_args(server.ws("bob"),
                                 {"expect:welcome, you are bob",
                                  "send:hello alice", "expect:alice: hi bob"}));
  const ProcessResult b = bob.wait(kTimeout);
  EXPECT_EQ(b.exit_code, 0) << b;
  EXPECT_THAT(b.out, HasSubstr("ok\n"));
  const ProcessResult a = alice.wait(kTimeout);
  EXPECT_EQ(a.exit_code, 0) << a;
  EXPECT_THAT(a.out, HasSubstr("ok\n"));

  ProcessResult stats =
      run_process(kCurl, {"-sS", "--max-time", "20", server.url("/api/stats")});
  EXPECT_THAT(stats.out, HasSubstr("\"messages\":2")) << stats;
  server.expect_graceful_stop(SIGTERM, /*only_two_lines=*/false);
}

// A real browser: Chromium, headless, loads the page, which joins as
// "browser", says hello, and answers every message from someone else with
// "got: " and that message (the page's test parameters). A Python client
// in the room sees the hello, writes to the browser and sees the answer.
TEST(WebSocketChatTest, HeadlessChromiumChatsThroughTheServer) {
  ChatServer server;
  ASSERT_TRUE(server.ok()) << server.err();
  Process carol(
      kPython,
      peer_args(server.ws("carol"),
                {"expect:welcome, you are carol", "expect:* browser joined",
                 "expect:browser: hello from chromium", "send:hi browser",
                 "expect:browser: got: carol: hi browser"}));
  ASSERT_TRUE(wait_for_line(carol, "welcome, you are carol")) << carol.err();

  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string profile =
      std::string(tmp != nullptr ? tmp : "/tmp") + "/chromium-profile";
  // In a session of its own, so the whole browser (it forks helpers) can be
  // killed as one process group.
  Process browser(
      "/usr/bin/setsid",
      {kChromium, "--headless=new", "--no-sandbox", "--disable-gpu",
       "--no-first-run", "--disable-dev-shm-usage",
       "--user-data-dir=" + profile,
       server.url("/?name=browser&say=hello%20from%20chromium&answer=1")});
  const ProcessResult c = carol.wait(seconds(60));
  ::kill(-browser.pid(), SIGKILL);
  EXPECT_EQ(c.exit_code, 0) << c << "\nchromium: " << browser.err();
  EXPECT_THAT(c.out, HasSubstr("browser: got: carol: hi browser\n"));
  server.expect_graceful_stop(SIGTERM, /*only_two_lines=*/false);
}

}  // namespace
