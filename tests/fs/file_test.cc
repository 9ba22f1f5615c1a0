// Copyright 2026 The mco Authors.
//
// Tests of mco/fs/file.h: round trips through whole-file and File calls,
// Go-like errors, many coroutines at once, plain threads (with and without
// a scheduler), cancellation and deadlines of operations that block (reads
// of an empty FIFO). With 1, 2 and 4 workers.

#include "mco/fs/file.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "mco/cancel.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/sync/wait_group.h"
#include "mco/time/duration.h"
#include "mco/time/instant.h"
#include "tests/test_util.h"

namespace {

using mco::time::Instant;
using mco::time::Millisecond;
using mco::time::Second;

namespace fs = mco::fs;

// A fresh directory under the test's temporary directory.
std::string make_dir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string tmpl =
      std::string(base != nullptr ? base : "/tmp") + "/" + name + ".XXXXXX";
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr) << tmpl;
  return tmpl;
}

std::string dir_for_test() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return make_dir(name);
}

// Bytes 0..255 repeated: binary data, no text assumptions.
std::string pattern(size_t n, int seed = 0) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i)
    s[i] = static_cast<char>((i * 7 + seed) & 0xff);
  return s;
}

class FileTest : public mco_test::WorkersTest {};

TEST_P(FileTest, WriteFileReadFileRoundTrip) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    for (size_t n : {size_t{0}, size_t{1}, size_t{4096}, size_t{300000}}) {
      const std::string path = dir + "/data" + std::to_string(n);
      const std::string data = pattern(n);
      ASSERT_TRUE(fs::write_file(path, data).ok());
      absl::StatusOr<std::string> back = fs::read_file(path);
      ASSERT_TRUE(back.ok()) << back.status();
      EXPECT_EQ(*back, data) << n;
    }
    // write_file truncates.
    const std::string path = dir + "/data300000";
    ASSERT_TRUE(fs::write_file(path, "short").ok());
    EXPECT_EQ(*fs::read_file(path), "short");
    // Files whose size says 0 are read to their end.
    absl::StatusOr<std::string> self = fs::read_file("/proc/self/status");
    ASSERT_TRUE(self.ok()) << self.status();
    EXPECT_NE(self->find("Name:"), std::string::npos);
  });
}

TEST_P(FileTest, FileReadWriteReadAtWriteAtStat) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    const std::string path = dir + "/f";
    const absl::Time before = absl::Now() - absl::Seconds(2);
    absl::StatusOr<fs::File> f = fs::File::create(path);
    ASSERT_TRUE(f.ok()) << f.status();
    EXPECT_TRUE(f->is_open());
    EXPECT_GE(f->fd(), 0);
    EXPECT_EQ(f->name(), path);
    ASSERT_TRUE(f->write("hello, ").ok());
    ASSERT_TRUE(f->write("world").ok());
    ASSERT_TRUE(f->write_at("W", 7).ok());  // "hello, World"
    ASSERT_TRUE(f->sync().ok());

    char buf[5];
    absl::StatusOr<size_t> n = f->read_at(absl::MakeSpan(buf), 7);
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(std::string(buf, *n), "World");
    std::string big(100, 'x');
    n = f->read_at(absl::MakeSpan(big), 7);  // fewer at end of file
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(big.substr(0, *n), "World");
    n = f->read_at(absl::MakeSpan(buf), 100);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, 0u);
    EXPECT_EQ(f->read_at(absl::MakeSpan(buf), -1).status().code(),
              absl::StatusCode::kInvalidArgument);

    absl::StatusOr<fs::FileInfo> info = f->stat();
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->name, "f");
    EXPECT_EQ(info->size, 12);
    EXPECT_FALSE(info->is_dir);
    EXPECT_TRUE(S_ISREG(info->mode));
    EXPECT_GE(info->mtime, before);
    EXPECT_LE(info->mtime, absl::Now() + absl::Seconds(2));
    ASSERT_TRUE(f->close().ok());
    EXPECT_FALSE(f->is_open());
    absl::Status again = f->close();
    EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(again.message(), "close " + path + ": file already closed");
    EXPECT_EQ(f->read(absl::MakeSpan(buf)).status().code(),
              absl::StatusCode::kFailedPrecondition);

    // Sequential reads at the file's offset, 0 at end of file.
    absl::StatusOr<fs::File> r = fs::File::open(path);
    ASSERT_TRUE(r.ok()) << r.status();
    std::string all;
    for (;;) {
      absl::StatusOr<size_t> got = r->read(absl::MakeSpan(buf));
      ASSERT_TRUE(got.ok()) << got.status();
      if (*got == 0) break;
      all.append(buf, *got);
    }
    EXPECT_EQ(all, "hello, World");
    // Read-only: writing fails with the OS error.
    absl::Status w = r->write("x");
    EXPECT_EQ(w.message(), "write " + path + ": bad file descriptor");
    EXPECT_EQ(fs::os_errno(w), EBADF);

    // Move: the moved-to file owns the descriptor; destructors close.
    fs::File moved = std::move(*r);
    EXPECT_TRUE(moved.is_open());
    EXPECT_FALSE(r->is_open());
    fs::File other = std::move(moved);
    EXPECT_EQ(other.read_at(absl::MakeSpan(buf), 0).value(), 5u);
  });
}

TEST_P(FileTest, MissingFileIsNotFoundInGoWords) {
  on_scheduler([] {
    absl::StatusOr<std::string> r = fs::read_file("/nope");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(r.status().message(), "open /nope: no such file or directory");
    EXPECT_EQ(fs::os_errno(r.status()), ENOENT);

    absl::StatusOr<fs::FileInfo> st = fs::stat("/nope/x");
    EXPECT_EQ(st.status().code(), absl::StatusCode::kNotFound);
    EXPECT_EQ(st.status().message(), "stat /nope/x: no such file or directory");
    absl::Status rm = fs::remove("/nope/x");
    EXPECT_EQ(rm.message(), "remove /nope/x: no such file or directory");
    EXPECT_EQ(fs::os_errno(absl::OkStatus()), 0);
  });
}

TEST_P(FileTest, DirectoriesAndOtherErrors) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    const std::string sub = dir + "/sub";
    ASSERT_TRUE(fs::mkdir(sub, 0755).ok());
    absl::Status again = fs::mkdir(sub);
    EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
    EXPECT_EQ(again.message(), "mkdir " + sub + ": file exists");
    absl::StatusOr<fs::FileInfo> info = fs::stat(sub + "/");
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_TRUE(info->is_dir);
    EXPECT_EQ(info->name, "sub");
    EXPECT_EQ(info->mode & 0700, 0700u);

    absl::StatusOr<fs::File> w = fs::File::open(sub, O_WRONLY);
    EXPECT_EQ(w.status().message(), "open " + sub + ": is a directory");

    ASSERT_TRUE(fs::write_file(sub + "/a", "A").ok());
    ASSERT_TRUE(fs::rename(sub + "/a", sub + "/b").ok());
    EXPECT_EQ(*fs::read_file(sub + "/b"), "A");
    absl::Status mv = fs::rename(sub + "/a", sub + "/c");
    EXPECT_EQ(mv.message(),
              "rename " + sub + "/a " + sub + "/c: no such file or directory");
    absl::Status not_empty = fs::remove(sub);
    EXPECT_EQ(fs::os_errno(not_empty), ENOTEMPTY);
    ASSERT_TRUE(fs::remove(sub + "/b").ok());  // a file
    ASSERT_TRUE(fs::remove(sub).ok());         // an empty directory
    EXPECT_EQ(fs::stat(sub).status().code(), absl::StatusCode::kNotFound);
  });
}

TEST_P(FileTest, ManyCoroutinesAtOnce) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    const int n = mco_test::scaled(200);
    std::atomic<int> ok{0};
    mco::sync::WaitGroup wg;
    wg.add(n);
    for (int i = 0; i < n; ++i) {
      mco::go([&, i] {
        const std::string path = dir + "/c" + std::to_string(i);
        const std::string data = pattern(1000 + i * 37, i);
        bool good = fs::write_file(path, data).ok();
        absl::StatusOr<fs::File> f = fs::File::open(path, O_RDWR);
        good = good && f.ok() && f->write_at("!", 0).ok();
        absl::StatusOr<std::string> back = fs::read_file(path);
        good = good && back.ok() && back->size() == data.size() &&
               (*back)[0] == '!' && back->substr(1) == data.substr(1);
        good = good && f->close().ok() && fs::remove(path).ok();
        if (good) ok.fetch_add(1);
        wg.done();
      });
    }
    wg.wait();
    EXPECT_EQ(ok.load(), n);
  });
}

TEST_P(FileTest, PlainThreadWhileSchedulerRuns) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    mco_test::Event done;
    bool good = false;
    std::thread t([&] {
      const std::string path = dir + "/t";
      good =
          fs::write_file(path, "from a thread").ok() &&
          fs::read_file(path).value_or("") == "from a thread" &&
          fs::read_file("/nope").status().code() == absl::StatusCode::kNotFound;
      done.set();
    });
    done.wait();
    t.join();
    EXPECT_TRUE(good);
  });
}

// A FIFO opened read-write: reads from it block until a byte is written,
// which `release` does (through a descriptor of the test's own).
class Fifo {
 public:
  explicit Fifo(const std::string& path) : path_(path) {
    EXPECT_EQ(::mkfifo(path.c_str(), 0600), 0);
    fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK);
    EXPECT_GE(fd_, 0);
  }
  ~Fifo() { ::close(fd_); }
  void release() { EXPECT_EQ(::write(fd_, "x", 1), 1); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

TEST_P(FileTest, CancelledWhileReadingThrowsCancelled) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    Fifo fifo(dir + "/fifo");
    mco_test::Event opened;
    auto h = mco::go([&] {
      absl::StatusOr<fs::File> f = fs::File::open(fifo.path(), O_RDWR);
      if (!f.ok()) return;
      opened.set();
      char c;
      (void)f->read(absl::MakeSpan(&c, 1));  // blocks: nothing to read
      ADD_FAILURE() << "read returned";
    });
    opened.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    // The abandoned read (if it got to the kernel) still holds the FIFO:
    // give it its byte so it ends; then the descriptor is closed.
    fifo.release();
    // The package still works, for other files and this one.
    ASSERT_TRUE(fs::write_file(dir + "/after", "ok").ok());
    EXPECT_EQ(*fs::read_file(dir + "/after"), "ok");
  });
}

TEST_P(FileTest, DeadlinesGiveDeadlineExceeded) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    Fifo fifo(dir + "/fifo");
    absl::StatusOr<fs::File> f = fs::File::open(fifo.path(), O_RDWR);
    ASSERT_TRUE(f.ok()) << f.status();
    const Instant start = Instant::now();
    f->set_deadline(start + 30 * Millisecond);
    char c;
    absl::StatusOr<size_t> r = f->read(absl::MakeSpan(&c, 1));
    EXPECT_GE(start.elapsed(), 30 * Millisecond);
    ASSERT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_EQ(r.status().message(), "read " + fifo.path() + ": i/o timeout");
    // Past deadline: fails at once, before anything is issued.
    f->set_deadline(Instant::now() - Second);
    EXPECT_EQ(f->write("x").code(), absl::StatusCode::kDeadlineExceeded);
    f->clear_deadline();
    // The abandoned read still owns the descriptor: close defers to it.
    EXPECT_TRUE(f->close().ok());
    fifo.release();

    const std::string path = dir + "/d";
    EXPECT_EQ(fs::write_file(path, "x", 0666, Instant::now() - Second).code(),
              absl::StatusCode::kDeadlineExceeded);
    absl::StatusOr<std::string> late =
        fs::read_file("/proc/self/status", Instant::now() - Second);
    EXPECT_EQ(late.status().message(), "open /proc/self/status: i/o timeout");
    // A deadline that is not reached changes nothing.
    ASSERT_TRUE(
        fs::write_file(path, "in time", 0600, Instant::now() + 10 * Second)
            .ok());
    EXPECT_EQ(fs::read_file(path, Instant::now() + 10 * Second).value_or(""),
              "in time");
  });
}

TEST_P(FileTest, AbandonedOpenClosesItsDescriptor) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    const std::string path = dir + "/fifo";
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    // Opening a FIFO for reading blocks until a writer comes.
    absl::StatusOr<fs::File> f =
        fs::File::open(path, O_RDONLY, 0, Instant::now() + 20 * Millisecond);
    ASSERT_EQ(f.status().code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_EQ(f.status().message(), "open " + path + ": i/o timeout");
    // A writer lets the abandoned open complete; its descriptor must then
    // be closed, which the writer sees as POLLERR (no reader left).
    mco_test::Event done;
    bool reader_closed = false;
    std::thread writer([&] {
      int w = ::open(path.c_str(), O_WRONLY);  // waits for the reader
      if (w >= 0) {
        pollfd p = {w, 0, 0};
        reader_closed = ::poll(&p, 1, 30000) == 1 && (p.revents & POLLERR);
        ::close(w);
      }
      done.set();
    });
    done.wait();
    writer.join();
    EXPECT_TRUE(reader_closed);
  });
}

TEST_P(FileTest, DestructorClosesWhileCancelledCoroutineUnwinds) {
  std::string dir = dir_for_test();
  on_scheduler([&] {
    ASSERT_TRUE(fs::write_file(dir + "/u", "u").ok());
    mco_test::Event opened;
    std::atomic<int> fd{-1};
    mco::Chan<int> never;
    auto h = mco::go([&] {
      absl::StatusOr<fs::File> f = fs::File::open(dir + "/u");
      if (!f.ok()) return;
      fd = f->fd();
      opened.set();
      (void)never.recv();  // parks until cancelled; ~File runs unwinding
    });
    opened.wait();
    h.cancel();
    EXPECT_THROW(h.join(), mco::Cancelled);
    errno = 0;
    EXPECT_EQ(::fcntl(fd.load(), F_GETFD), -1);
    EXPECT_EQ(errno, EBADF);
  });
}

INSTANTIATE_TEST_SUITE_P(Workers, FileTest, ::testing::Values(1, 2, 4));

TEST(FileNoScheduler, RunsSynchronously) {
  const std::string dir = make_dir("FileNoScheduler");
  const std::string path = dir + "/s";
  ASSERT_FALSE(mco::scheduler_running());
  ASSERT_TRUE(fs::write_file(path, pattern(100000)).ok());
  EXPECT_EQ(fs::read_file(path).value_or(""), pattern(100000));
  absl::StatusOr<fs::File> f = fs::File::open(path);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->stat()->size, 100000);
  EXPECT_EQ(fs::read_file("/nope").status().message(),
            "open /nope: no such file or directory");
  // A plain thread, too.
  std::thread t([&] { EXPECT_TRUE(fs::remove(path).ok()); });
  t.join();
  EXPECT_EQ(fs::stat(path).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
