// Copyright 2026 The mco Authors.
//
// End-to-end tests of `mco-run`: runs the built binary on the test modules
// of tests/modules and on samples/hello, and checks exit codes, stdout and
// stderr. Every run is bounded by a deadline (the child is killed past it).
//
// The test's working directory is the runfiles root of workspace `mco`, so
// the binaries are found at their workspace paths.

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "mco/module.h"  // MCO_ABI_VERSION only
#include "tests/process_util.h"

namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

constexpr char kMcoRun[] = "launcher/mco-run";
constexpr char kOk[] = "tests/modules/ok.so";
constexpr char kArgs[] = "tests/modules/args.so";
constexpr char kThrows[] = "tests/modules/throws.so";
constexpr char kNoEntry[] = "tests/modules/no_entry.so";
constexpr char kBadAbi[] = "tests/modules/bad_abi.so";
constexpr char kLeftover[] = "tests/modules/leftover.so";
constexpr char kHello[] = "samples/hello/hello.so";
constexpr char kHostile[] = "tests/modules/hostile.so";

constexpr auto kDeadline = std::chrono::seconds(60);

using Result = mco_test::ProcessResult;

// Runs `program args...` with stdin from /dev/null, capturing stdout and
// stderr, in `cwd` if not empty. Kills it past `deadline`.
Result Spawn(const std::string& program, const std::vector<std::string>& args,
             const std::string& cwd = "",
             std::chrono::steady_clock::duration deadline = kDeadline) {
  return mco_test::run_process(program, args, cwd, deadline);
}

Result McoRun(const std::vector<std::string>& args) {
  return Spawn(kMcoRun, args);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Checks the contract for bad input: exit 2, nothing on stdout, exactly one
// line on stderr that starts with "mco-run: ".
void ExpectBadInput(const Result& r) {
  EXPECT_FALSE(r.killed) << r;
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_THAT(r.out, IsEmpty()) << r;
  EXPECT_THAT(r.err, StartsWith("mco-run: ")) << r;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.back(), '\n') << r;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
}

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

// --- help and version --------------------------------------------------------

TEST(McoRunTest, HelpGoesToStdoutAndExitsZero) {
  for (const char* flag : {"--help", "-h"}) {
    const Result r = McoRun({flag});
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_THAT(r.err, IsEmpty()) << r;
    EXPECT_THAT(r.out,
                AllOf(HasSubstr("Usage: mco-run [OPTIONS] MODULE [-- ARGS...]"),
                      HasSubstr("--workers"), HasSubstr("--stack-size"),
                      HasSubstr("--version"), HasSubstr("MODULE")))
        << r;
  }
}

TEST(McoRunTest, HelpWinsOverAMissingModule) {
  const Result r = McoRun({"--workers", "2", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("Usage: mco-run ")) << r;
  EXPECT_THAT(r.err, IsEmpty()) << r;
}

TEST(McoRunTest, VersionNamesTheModuleAbi) {
  const Result r = McoRun({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, IsEmpty()) << r;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r;
  EXPECT_THAT(lines[0], StartsWith("mco-run ")) << r;
  EXPECT_THAT(lines[0],
              testing::EndsWith(" (module ABI " +
                                std::to_string(MCO_ABI_VERSION) + ")"))
      << r;
}

// --- bad command lines -------------------------------------------------------

TEST(McoRunTest, MissingModuleArgument) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {}, {"--workers", "2"}, {"--", "a", "b"}}) {
    const Result r = McoRun(args);
    ExpectBadInput(r);
    EXPECT_THAT(r.err, HasSubstr("missing MODULE")) << r;
  }
}

struct BadFlagCase {
  std::vector<std::string> args;
  std::string names;  // what the message must mention
};

class BadFlagTest : public testing::TestWithParam<BadFlagCase> {};

TEST_P(BadFlagTest, OneLineAndExitTwo) {
  std::vector<std::string> args = GetParam().args;
  args.push_back(kOk);
  const Result r = McoRun(args);
  ExpectBadInput(r);
  EXPECT_THAT(r.err, HasSubstr(GetParam().names)) << r;
}

INSTANTIATE_TEST_SUITE_P(
    Flags, BadFlagTest,
    testing::Values(
        BadFlagCase{{"--workers", "0"}, "--workers"},
        BadFlagCase{{"--workers", "abc"}, "--workers"},
        BadFlagCase{{"--workers=-1"}, "--workers"},
        BadFlagCase{{"--workers", "-1"}, "--workers"},
        BadFlagCase{{"--workers", "1025"}, "--workers"},
        BadFlagCase{{"--workers", "2.5"}, "--workers"},
        BadFlagCase{{"--workers", ""}, "--workers"},
        BadFlagCase{{"--workers", "99999999999999999999"}, "--workers"},
        BadFlagCase{{"--stack-size", "12Q"}, "--stack-size"},
        BadFlagCase{{"--stack-size", "abc"}, "--stack-size"},
        BadFlagCase{{"--stack-size=-5"}, "--stack-size"},
        BadFlagCase{{"--stack-size", "4K"}, "minimum"},
        BadFlagCase{{"--stack-size", "0"}, "--stack-size"},
        BadFlagCase{{"--stack-size", "2G"}, "maximum"},
        BadFlagCase{{"--frobnicate"}, "--frobnicate"},
        BadFlagCase{{"--workers", "2", "--workers", "3"}, "--workers"},
        // A stray positional: module arguments belong after `--`.
        BadFlagCase{{std::string(kOk), "extra"}, "extra"}));

TEST(McoRunTest, MissingFlagValue) {
  const Result r = McoRun({kOk, "--workers"});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, HasSubstr("--workers")) << r;
}

TEST(McoRunTest, FlagsAreCheckedBeforeTheModule) {
  const Result r = McoRun({"--workers", "0", "tests/modules/nope.so"});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, HasSubstr("--workers")) << r;
}

// --- bad modules -------------------------------------------------------------

TEST(McoRunTest, NoSuchFile) {
  const Result r = McoRun({"tests/modules/nope.so"});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr("tests/modules/nope.so"),
                           HasSubstr("no such file")))
      << r;
}

TEST(McoRunTest, DirectoryIsNotAModule) {
  const Result r = McoRun({TempDir()});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, HasSubstr("not a regular file")) << r;
}

TEST(McoRunTest, TextFileIsNotAModule) {
  const std::string path = TempDir() + "/notes.txt";
  {
    std::ofstream f(path);
    f << "This is a text file, not a shared object.\nIt has two lines and\n"
         "enough bytes to hold an ELF header, which it does not have.\n";
  }
  const Result r = McoRun({path});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr(path), HasSubstr("cannot load module")))
      << r;
}

TEST(McoRunTest, ExecutableIsNotAModule) {
  const Result r = McoRun({kMcoRun});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr(kMcoRun), HasSubstr("cannot load module")))
      << r;
}

TEST(McoRunTest, SharedObjectWithoutEntryPoint) {
  const Result r = McoRun({kNoEntry});
  ExpectBadInput(r);
  EXPECT_THAT(r.err, AllOf(HasSubstr(kNoEntry), HasSubstr("not an mco module"),
                           HasSubstr("MCO_MAIN")))
      << r;
}

TEST(McoRunTest, ModuleOfAnotherAbiVersion) {
  const Result r = McoRun({kBadAbi});
  ExpectBadInput(r);
  EXPECT_THAT(r.err,
              AllOf(HasSubstr(kBadAbi), HasSubstr("ABI"), HasSubstr("999"),
                    HasSubstr("version " + std::to_string(MCO_ABI_VERSION))))
      << r;
  EXPECT_THAT(r.out, IsEmpty()) << "the module must not have run\n" << r;
}

// --- running modules ---------------------------------------------------------

TEST(McoRunTest, ExitCodeIsTheModulesReturnValue) {
  for (int code : {0, 1, 7, 42, 200}) {
    const Result r = McoRun({kOk, "--", std::to_string(code)});
    EXPECT_EQ(r.exit_code, code) << r;
    EXPECT_THAT(r.err, IsEmpty()) << r;
    EXPECT_THAT(r.out, StartsWith("ok ")) << r;
  }
}

TEST(McoRunTest, WorkersFlagReachesTheScheduler) {
  for (int workers : {1, 3}) {
    const Result r = McoRun({"--workers", std::to_string(workers), kOk});
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_THAT(r.err, IsEmpty()) << r;
    EXPECT_THAT(r.out, HasSubstr("workers=" + std::to_string(workers) + " "))
        << r;
  }
}

TEST(McoRunTest, StackSizeFlagReachesTheScheduler) {
  Result r = McoRun({"--stack-size", "64K", kOk});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("stack_size=65536\n")) << r;

  r = McoRun({"--stack-size=1M", kOk});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.out, HasSubstr("stack_size=1048576\n")) << r;

  r = McoRun({kOk});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(
      r.out,
      HasSubstr("stack_size=" + std::to_string(mco::kDefaultStackSize) + "\n"))
      << r;
}

TEST(McoRunTest, ArgumentsAfterSeparatorReachTheModuleVerbatim) {
  const Result r = McoRun({"--workers", "2", kArgs, "--", "one", "two words",
                           "", "--", "-x", "--workers=5"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, IsEmpty()) << r;
  EXPECT_THAT(Lines(r.out),
              ElementsAre("coroutine=main", "argc=7",
                          "arg[0]=<" + std::string(kArgs) + ">", "arg[1]=<one>",
                          "arg[2]=<two words>", "arg[3]=<>", "arg[4]=<-->",
                          "arg[5]=<-x>", "arg[6]=<--workers=5>"))
      << r;
}

TEST(McoRunTest, NoArgumentsGivesOnlyTheModulePath) {
  const Result r = McoRun({kArgs});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(Lines(r.out), ElementsAre("coroutine=main", "argc=1",
                                        "arg[0]=<" + std::string(kArgs) + ">"))
      << r;
}

TEST(McoRunTest, ModuleNameWithoutSlashIsLoadedFromTheWorkingDirectory) {
  const Result r =
      Spawn("../../launcher/mco-run", {"ok.so", "--", "5"}, "tests/modules");
  EXPECT_EQ(r.exit_code, 5) << r;
  EXPECT_THAT(r.err, IsEmpty()) << r;
}

TEST(McoRunTest, ThrowingEntryPoint) {
  const Result r = McoRun({kThrows});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.err, "mco-run: module main threw: boom\n") << r;
}

TEST(McoRunTest, ExceptionOfAChildRethrownByJoin) {
  const Result r = McoRun({kThrows, "--", "child"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.err, "mco-run: module main threw: boom from child\n") << r;
}

TEST(McoRunTest, NonStandardException) {
  const Result r = McoRun({kThrows, "--", "int"});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, StartsWith("mco-run: module main threw: ")) << r;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
}

TEST(McoRunTest, LeftoverCoroutinesAreCancelledWhenMainReturns) {
  const Result r = McoRun({"--workers", "2", kLeftover});
  EXPECT_FALSE(r.killed) << r;
  EXPECT_EQ(r.exit_code, 3) << r;
  // "Promptly": the sleepers would sleep for a day.
  EXPECT_LT(r.elapsed, std::chrono::seconds(20)) << r;
  std::multiset<std::string> lines;
  for (const auto& line : Lines(r.out)) lines.insert(line);
  EXPECT_EQ(lines.count("main returns 3"), 1u) << r;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(lines.count("sleeper-" + std::to_string(i) + " unwound"), 1u)
        << r;
  }
  EXPECT_EQ(lines.size(), 4u) << r;
}

// --- the hello sample --------------------------------------------------------

void ExpectHello(const Result& r, const std::string& who, int count,
                 int workers) {
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, IsEmpty()) << r;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), static_cast<size_t>(2 * count + 2)) << r;
  EXPECT_THAT(lines.front(), StartsWith("Hello, " + who + "! I am coroutine "))
      << r;
  EXPECT_THAT(lines.front(), HasSubstr("(main)")) << r;
  if (workers > 0) {
    EXPECT_THAT(
        lines.front(),
        HasSubstr("running on " + std::to_string(workers) + " worker(s)."))
        << r;
  }
  // The greeters report in any order, but each exactly once...
  std::set<std::string> reporters;
  std::set<std::string> ids;
  // ...and are joined in spawn order.
  std::vector<std::string> joined;
  for (const auto& line : lines) {
    if (line.rfind("  greeter-", 0) == 0) {
      reporters.insert(line.substr(2, line.find(' ', 2) - 2));
      EXPECT_THAT(line, HasSubstr(" says hi to " + who + ", naps ")) << r;
      const size_t open = line.find("(coroutine ");
      ASSERT_NE(open, std::string::npos) << line;
      ids.insert(line.substr(open, line.find(')', open) - open));
    } else if (line.rfind("joined: ", 0) == 0) {
      joined.push_back(line);
    }
  }
  EXPECT_EQ(reporters.size(), static_cast<size_t>(count)) << r;
  EXPECT_EQ(ids.size(), static_cast<size_t>(count)) << "distinct ids\n" << r;
  ASSERT_EQ(joined.size(), static_cast<size_t>(count)) << r;
  for (int i = 0; i < count; ++i) {
    EXPECT_EQ(reporters.count("greeter-" + std::to_string(i)), 1u) << r;
    EXPECT_EQ(joined[i], "joined: greeter-" + std::to_string(i) +
                             " woke up after " + std::to_string(10 * (i + 1)) +
                             " ms")
        << r;
  }
  EXPECT_EQ(lines.back(), "Goodbye, " + who + "! " + std::to_string(count) +
                              " coroutine(s) joined.")
      << r;
}

TEST(HelloSampleTest, DefaultRun) {
  ExpectHello(McoRun({kHello}), "world", 4, 0);
}

TEST(HelloSampleTest, NameAndCountOnOneOrThreeWorkers) {
  ExpectHello(McoRun({"--workers", "1", kHello, "--", "Ada", "6"}), "Ada", 6,
              1);
  ExpectHello(McoRun({"--workers", "3", kHello, "--", "Grace"}), "Grace", 4, 3);
}

TEST(HelloSampleTest, BadCountIsReported) {
  const Result r = McoRun({kHello, "--", "Ada", "zero"});
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_THAT(r.err, HasSubstr("COUNT")) << r;
}

// --- modules do not carry the runtime ----------------------------------------

struct DynamicSymbols {
  std::set<std::string> defined_text;  // type T: strong code
  std::set<std::string> undefined;     // type U
};

DynamicSymbols ReadDynamicSymbols(const std::string& path) {
  DynamicSymbols syms;
  const Result r = Spawn("/usr/bin/nm", {"-D", path});
  EXPECT_EQ(r.exit_code, 0) << r;
  for (const auto& line : Lines(r.out)) {
    // "<address> <type> <name>" or "                 U <name>"
    std::istringstream in(line);
    std::string a, b, c;
    in >> a >> b;
    if (!(in >> c)) {  // no address
      if (a == "U" || a == "w" || a == "v") {
        if (a == "U") syms.undefined.insert(b);
      }
      continue;
    }
    if (b == "T") syms.defined_text.insert(c);
  }
  return syms;
}

bool IsMcoSymbol(const std::string& mangled) {
  return mangled.rfind("_ZN3mco", 0) == 0 || mangled.rfind("_ZNK3mco", 0) == 0;
}

TEST(NoRuntimeCopyTest, ModulesBindToTheRuntimeExportedByMcoRun) {
  const DynamicSymbols launcher = ReadDynamicSymbols(kMcoRun);
  std::set<std::string> runtime;
  for (const auto& s : launcher.defined_text) {
    if (IsMcoSymbol(s)) runtime.insert(s);
  }
  // mco-run exports the runtime, mco::run(...) included.
  ASSERT_TRUE(std::any_of(runtime.begin(), runtime.end(), [](auto& s) {
    return s.rfind("_ZN3mco3run", 0) == 0;
  })) << "mco-run does not export mco::run; is it linked with -rdynamic?";

  for (const char* module : {kHello, kOk, kLeftover, kThrows}) {
    SCOPED_TRACE(module);
    const DynamicSymbols mod = ReadDynamicSymbols(module);
    // No function of the runtime is defined in the module...
    for (const auto& s : mod.defined_text) {
      EXPECT_EQ(runtime.count(s), 0u) << "module defines runtime symbol " << s;
      EXPECT_NE(s.rfind("_ZN3mco3run", 0), 0u) << s;
    }
    // ...it refers to mco-run's instead.
    size_t bound = 0;
    for (const auto& s : mod.undefined) bound += runtime.count(s);
    EXPECT_GT(bound, 0u) << "module has no undefined runtime references";
  }
}

// --- the Go-style samples (issue 3)
// --------------------------------------------

TEST(SamplesTest, WorkerPoolSumsSquares) {
  Result r = McoRun({"samples/worker_pool/worker_pool.so", "--", "5", "30"});
  ASSERT_EQ(r.exit_code, 0) << r;
  // 1^2 + ... + 30^2 = 9455
  EXPECT_EQ(r.out, "5 workers did 30 jobs; sum of squares = 9455\n") << r;
}

TEST(SamplesTest, PipelineFansOutAndIn) {
  Result r = McoRun({"samples/pipeline/pipeline.so", "--", "100", "4"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "pipeline: 100 values through 4 squarers, sum = 338350\n")
      << r;
}

TEST(SamplesTest, SievePrintsPrimes) {
  Result r = McoRun({"samples/sieve/sieve.so", "--", "10"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(Lines(r.out),
            (std::vector<std::string>{"2", "3", "5", "7", "11", "13", "17",
                                      "19", "23", "29"}))
      << r;
}

// --- hostile modules
// -----------------------------------------------------------

TEST(HostileModuleTest, SegfaultNamesTheCoroutineAndWhere) {
  const Result r = McoRun({kHostile, "--", "segv"});
  EXPECT_FALSE(r.killed) << r;
#if defined(__SANITIZE_ADDRESS__)
  // mco's handler reports, then hands the fault back to the disposition it
  // replaced: here ASan's, which reports too and exits with its exit code.
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_THAT(r.err, HasSubstr("ERROR: AddressSanitizer: SEGV")) << r;
#elif defined(__SANITIZE_THREAD__)
  // Likewise TSan's (exit code 66).
  EXPECT_EQ(r.exit_code, 66) << r;
  EXPECT_THAT(r.err, HasSubstr("ERROR: ThreadSanitizer: SEGV")) << r;
#else
  EXPECT_EQ(r.exit_code, 128 + SIGSEGV) << r;
#endif
  EXPECT_THAT(r.err, HasSubstr("mco: fatal: segmentation fault at address "))
      << r;
  EXPECT_THAT(r.err, HasSubstr("in coroutine ")) << r;
  EXPECT_THAT(r.err, HasSubstr("'crasher'")) << r;
  EXPECT_THAT(r.err, HasSubstr("write_through_null")) << r;
}

TEST(HostileModuleTest, StackOverflowNamesTheCoroutine) {
  const Result r = McoRun({"--stack-size", "64K", kHostile, "--", "overflow"});
  EXPECT_FALSE(r.killed) << r;
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_THAT(r.err, HasSubstr("mco: fatal: stack overflow in coroutine "))
      << r;
  EXPECT_THAT(r.err, HasSubstr("'recurser' (stack size 65536 bytes)")) << r;
}

TEST(HostileModuleTest, SigtermEndsAModuleThatNeverReturns) {
  mco_test::Process p(kMcoRun, {kHostile, "--", "spin"});
  ASSERT_TRUE(p.started());
  ASSERT_EQ(p.first_line(kDeadline), "spinning");
  ASSERT_TRUE(p.signal(SIGTERM));
  const Result r = p.wait(kDeadline);
  EXPECT_FALSE(r.killed) << r;
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r;
}

TEST(HostileModuleTest, DeadlockIsReportedWithTheDump) {
  for (const char* workers : {"1", "2"}) {
    const Result r = McoRun({"--workers", workers, kHostile, "--", "deadlock"});
    EXPECT_FALSE(r.killed) << r;
    EXPECT_EQ(r.exit_code, 2) << r;
    EXPECT_THAT(r.err,
                StartsWith("mco: fatal: all coroutines are asleep - deadlock!"))
        << r;
    EXPECT_THAT(r.err,
                HasSubstr("coroutine 1 \"main\" [parked on chan receive]"))
        << r;
    EXPECT_THAT(r.err, HasSubstr("\"locker\" [parked on mutex]")) << r;
  }
}

TEST(HostileModuleTest, SigquitPrintsTheDumpAndTheModuleGoesOn) {
  // The spinner holds one worker for good: the dump shows main running there
  // and the process lives on until SIGTERM.
  mco_test::Process p(kMcoRun, {"--workers", "2", kHostile, "--", "spin"});
  ASSERT_TRUE(p.started());
  ASSERT_EQ(p.first_line(kDeadline), "spinning");
  ASSERT_TRUE(p.signal(SIGQUIT));
  const auto until = std::chrono::steady_clock::now() + kDeadline;
  while (p.err().find("[running on worker") == std::string::npos &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling
  }
  EXPECT_THAT(p.err(), HasSubstr("coroutine 1 \"main\" [running on worker"));
  ASSERT_TRUE(p.signal(SIGTERM));
  const Result r = p.wait(kDeadline);
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r;  // SIGQUIT did not end it
}

TEST(SamplesTest, RateLimiterServesBurstThenOnePerTick) {
  Result r =
      McoRun({"samples/rate_limiter/rate_limiter.so", "--", "5", "10", "2"});
  ASSERT_EQ(r.exit_code, 0) << r;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r;
  // Requests 3.. wait for ticks: each is served at least 10 ms after start
  // times its place after the burst.
  for (int i = 3; i <= 5; ++i) {
    int ms = -1;
    ASSERT_EQ(
        std::sscanf(lines[i - 1].c_str(), "request %*d served at +%d ms", &ms),
        1)
        << lines[i - 1];
    EXPECT_GE(ms, (i - 2) * 10) << lines[i - 1];
  }
  EXPECT_EQ(lines.back(), "served 5 requests (burst 2, then 1 per 10 ms)");
}

TEST(SamplesTest, ShutdownStopsEveryWorkerOnDeadline) {
  Result r = McoRun({"samples/shutdown/shutdown.so", "--", "3", "30"});
  ASSERT_EQ(r.exit_code, 0) << r;
  std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r;
  EXPECT_NE(lines.back().find("shut down cleanly"), std::string::npos) << r;
  EXPECT_NE(lines.back().find("context deadline exceeded"), std::string::npos)
      << r;
}

TEST(SamplesTest, BadArgumentsAreOneClearError) {
  Result r = McoRun({"samples/worker_pool/worker_pool.so", "--", "0"});
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_EQ(Lines(r.err).size(), 1u) << r;
}

}  // namespace
