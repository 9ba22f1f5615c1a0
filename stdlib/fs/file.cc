// Copyright 2026 The mco Authors.
//
// Files on rt::uv_call: every operation is one libuv file request. What a
// request uses is owned by its start function (a copy of the path, a
// buffer of its own, a reference to the descriptor), so an abandoned
// request can finish in the background without touching the caller's
// memory. Reads land in that buffer and are copied out; writes copy the
// data in. The descriptor is closed by `File::close` when no abandoned
// request still holds it, otherwise by the last one (`FileHandle`'s
// destructor, on whichever thread lets it go).

#include "mco/fs/file.h"

#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "mco/cancel.h"
#include "runtime/clock.h"
#include "runtime/uv_call.h"

namespace mco::fs {
namespace internal {

struct FileHandle {
  explicit FileHandle(int fd_in) : fd(fd_in) {}
  ~FileHandle() {
    if (fd >= 0) ::close(fd);
  }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;

  int fd;  // -1 once File::close took it
  std::atomic<int64_t> deadline{rt::kNoDeadline};
};

struct FileAccess {
  static File make(int fd, std::string name) {
    return File(std::make_shared<FileHandle>(fd), std::move(name));
  }
  static const std::shared_ptr<FileHandle>& handle(const File& f) {
    return f.handle_;
  }
};

}  // namespace internal

namespace {

using internal::FileAccess;
using internal::FileHandle;
using rt::UvIssue;
using rt::UvReq;
using rt::UvResult;

// The most one request reads or writes (libuv's buffers count in unsigned
// ints; Linux moves at most ~2 GiB per call anyway).
constexpr size_t kMaxChunk = size_t{1} << 30;

// "No deadline" as an Instant (deadline_ns maps it to rt::kNoDeadline).
constexpr time::Instant kNever(time::Instant::Clock::time_point::max());

rt::Nanos deadline_ns(time::Instant t) {
  return t == kNever ? rt::kNoDeadline : t.nanos();
}

// Concatenates strings (absl::StrCat does not take std::string_view here:
// absl::string_view is its own type in this Abseil).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s.append(std::string_view(parts)), ...);
  return s;
}

// strerror_r comes in a GNU flavour (returns the text) and an XSI one
// (fills the buffer); these pick the text from either.
[[maybe_unused]] const char* error_text(const char* text, const char*) {
  return text;
}
[[maybe_unused]] const char* error_text(int, const char* buf) { return buf; }

// Go's spelling of an OS error: the C library's text, first letter lowered
// ("no such file or directory").
std::string errno_text(int e) {
  char buf[256] = {};
  std::string text = error_text(strerror_r(e, buf, sizeof buf), buf);
  if (!text.empty()) {
    text[0] =
        static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// A libuv error (a negated errno, or one of libuv's own) as a Go-like
// error of `op` on `path`.
absl::Status os_error(std::string_view op, std::string_view path,
                      int64_t uv_err) {
  const int64_t e = -uv_err;
  const bool is_errno = e > 0 && e < 3000;  // libuv's own codes are below
  absl::Status s(
      is_errno ? absl::ErrnoToStatusCode(static_cast<int>(e))
               : absl::StatusCode::kUnknown,
      cat(op, " ", path, ": ",
          is_errno ? errno_text(static_cast<int>(e))
                   : std::string(uv_strerror(static_cast<int>(uv_err)))));
  if (is_errno) s.SetPayload(kErrnoPayloadUrl, absl::Cord(std::to_string(e)));
  return s;
}

absl::Status closed_error(std::string_view op, std::string_view path) {
  return absl::FailedPreconditionError(
      cat(op, " ", path, ": file already closed"));
}

// Runs one file request for `op` on `path`: throws Cancelled if the caller
// was cancelled, returns kDeadlineExceeded at the deadline and the OS error
// if the request failed; otherwise the completed request.
absl::StatusOr<UvResult> fs_call(std::string_view op, std::string_view path,
                                 rt::UvStartFn start,
                                 rt::UvAbandonFn on_abandon, rt::Nanos deadline,
                                 bool cancellable = true) {
  UvResult r = rt::uv_call(std::move(start), std::move(on_abandon), deadline,
                           cancellable);
  if (!r.done()) {
    if (r.reason() == rt::WakeReason::kCancelled) throw Cancelled();
    return absl::DeadlineExceededError(cat(op, " ", path, ": i/o timeout"));
  }
  if (r.result() < 0) return os_error(op, path, r.result());
  return r;
}

// One read of up to `n` bytes into `dst` (inside the memory `keep` keeps
// alive) at `offset` (-1: the file's offset).
absl::StatusOr<size_t> read_once(const std::shared_ptr<FileHandle>& h,
                                 std::string_view name,
                                 std::shared_ptr<void> keep, char* dst,
                                 size_t n, int64_t offset, rt::Nanos deadline) {
  n = std::min(n, kMaxChunk);
  auto r = fs_call(
      "read", name,
      [h, keep = std::move(keep), dst, n, offset](const UvIssue& is) {
        uv_buf_t b = uv_buf_init(dst, static_cast<unsigned>(n));
        return uv_fs_read(is.loop, &is.req->fs, h->fd, &b, 1, offset, is.fs_cb);
      },
      nullptr, deadline);
  if (!r.ok()) return r.status();
  return static_cast<size_t>(r->result());
}

// Writes all of `data` at `offset` (-1: the file's offset).
absl::Status write_all(const std::shared_ptr<FileHandle>& h,
                       std::string_view name, std::string_view data,
                       int64_t offset, rt::Nanos deadline) {
  if (data.empty()) return absl::OkStatus();
  auto copy = std::make_shared<std::string>(data);
  size_t done = 0;
  while (done < copy->size()) {
    const size_t n = std::min(copy->size() - done, kMaxChunk);
    const int64_t at = offset < 0 ? -1 : offset + static_cast<int64_t>(done);
    auto r = fs_call(
        "write", name,
        [h, copy, done, n, at](const UvIssue& is) {
          uv_buf_t b =
              uv_buf_init(copy->data() + done, static_cast<unsigned>(n));
          return uv_fs_write(is.loop, &is.req->fs, h->fd, &b, 1, at, is.fs_cb);
        },
        nullptr, deadline);
    if (!r.ok()) return r.status();
    if (r->result() == 0) {
      return absl::DataLossError(cat("write ", name, ": short write"));
    }
    done += static_cast<size_t>(r->result());
  }
  return absl::OkStatus();
}

std::string base_name(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/") return "/";
  const size_t slash = path.rfind('/');
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  return path.empty() ? std::string(".") : std::string(path);
}

FileInfo info_of(const uv_stat_t& st, std::string_view path) {
  FileInfo info;
  info.name = base_name(path);
  info.size = static_cast<int64_t>(st.st_size);
  info.mode = static_cast<uint32_t>(st.st_mode);
  info.is_dir = S_ISDIR(st.st_mode);
  info.mtime = absl::FromUnixSeconds(st.st_mtim.tv_sec) +
               absl::Nanoseconds(st.st_mtim.tv_nsec);
  return info;
}

// A path-only request (stat, unlink, rmdir, mkdir): `issue` is given the
// loop, the request, the path and the callback.
template <typename Issue>
absl::StatusOr<UvResult> path_call(std::string_view op, std::string_view path,
                                   Issue issue) {
  return fs_call(
      op, path,
      [p = std::string(path), issue](const UvIssue& is) {
        return issue(is.loop, &is.req->fs, p.c_str(), is.fs_cb);
      },
      nullptr, rt::kNoDeadline);
}

// The deadline of an operation of `h`.
rt::Nanos op_deadline(const std::shared_ptr<FileHandle>& h) {
  return h->deadline.load(std::memory_order_relaxed);
}

}  // namespace

int os_errno(const absl::Status& status) {
  absl::optional<absl::Cord> p = status.GetPayload(kErrnoPayloadUrl);
  int e = 0;
  if (!p.has_value() || !absl::SimpleAtoi(std::string(*p), &e)) return 0;
  return e;
}

// --- File --------------------------------------------------------------------

File::~File() {
  if (handle_ != nullptr) (void)close();
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (handle_ != nullptr) (void)close();
    handle_ = std::move(other.handle_);
    name_ = std::move(other.name_);
  }
  return *this;
}

absl::StatusOr<File> File::open(std::string_view path, int flags,
                                uint32_t perm) {
  return open(path, flags, perm, kNever);
}

absl::StatusOr<File> File::open(std::string_view path, int flags, uint32_t perm,
                                time::Instant deadline) {
  std::string p(path);
  auto r = fs_call(
      "open", path,
      [p, flags, perm](const UvIssue& is) {
        return uv_fs_open(is.loop, &is.req->fs, p.c_str(), flags,
                          static_cast<int>(perm), is.fs_cb);
      },
      // An open that completes after its caller gave up: nobody will
      // close the descriptor but us.
      [](UvReq&, int64_t fd) {
        if (fd >= 0) ::close(static_cast<int>(fd));
      },
      deadline_ns(deadline));
  if (!r.ok()) return r.status();
  return FileAccess::make(static_cast<int>(r->result()), std::move(p));
}

absl::StatusOr<File> File::create(std::string_view path) {
  return open(path, O_RDWR | O_CREAT | O_TRUNC, 0666);
}

absl::StatusOr<size_t> File::read(absl::Span<char> buf) {
  if (handle_ == nullptr) return closed_error("read", name_);
  if (buf.empty()) return 0;
  const size_t n = std::min(buf.size(), kMaxChunk);
  std::shared_ptr<char[]> tmp(new char[n]);
  char* raw = tmp.get();
  absl::StatusOr<size_t> got =
      read_once(handle_, name_, tmp, raw, n, -1, op_deadline(handle_));
  if (got.ok()) std::memcpy(buf.data(), raw, *got);
  return got;
}

absl::StatusOr<size_t> File::read_at(absl::Span<char> buf, int64_t offset) {
  if (handle_ == nullptr) return closed_error("read", name_);
  if (offset < 0) {
    return absl::InvalidArgumentError(
        cat("readat ", name_, ": negative offset"));
  }
  if (buf.empty()) return 0;
  const size_t n = std::min(buf.size(), kMaxChunk);
  std::shared_ptr<char[]> tmp(new char[n]);
  size_t total = 0;
  while (total < buf.size()) {
    const size_t want = std::min(buf.size() - total, n);
    absl::StatusOr<size_t> got =
        read_once(handle_, name_, tmp, tmp.get(), want,
                  offset + static_cast<int64_t>(total), op_deadline(handle_));
    if (!got.ok()) return got.status();
    if (*got == 0) break;  // end of file
    std::memcpy(buf.data() + total, tmp.get(), *got);
    total += *got;
  }
  return total;
}

absl::Status File::write(std::string_view data) {
  if (handle_ == nullptr) return closed_error("write", name_);
  return write_all(handle_, name_, data, -1, op_deadline(handle_));
}

absl::Status File::write_at(std::string_view data, int64_t offset) {
  if (handle_ == nullptr) return closed_error("write", name_);
  if (offset < 0) {
    return absl::InvalidArgumentError(
        cat("writeat ", name_, ": negative offset"));
  }
  return write_all(handle_, name_, data, offset, op_deadline(handle_));
}

absl::StatusOr<FileInfo> File::stat() {
  if (handle_ == nullptr) return closed_error("stat", name_);
  std::shared_ptr<FileHandle> h = handle_;
  auto r = fs_call(
      "stat", name_,
      [h](const UvIssue& is) {
        return uv_fs_fstat(is.loop, &is.req->fs, h->fd, is.fs_cb);
      },
      nullptr, op_deadline(h));
  if (!r.ok()) return r.status();
  return info_of(r->req().fs.statbuf, name_);
}

absl::Status File::sync() {
  if (handle_ == nullptr) return closed_error("sync", name_);
  std::shared_ptr<FileHandle> h = handle_;
  auto r = fs_call(
      "sync", name_,
      [h](const UvIssue& is) {
        return uv_fs_fsync(is.loop, &is.req->fs, h->fd, is.fs_cb);
      },
      nullptr, op_deadline(h));
  return r.status();
}

absl::Status File::close() {
  if (handle_ == nullptr) return closed_error("close", name_);
  std::shared_ptr<FileHandle> h = std::move(handle_);
  if (h.use_count() != 1) {
    // Abandoned requests still use the descriptor: the last one closes it.
    return absl::OkStatus();
  }
  // Pairs with the release in the last other owner's reference drop.
  std::atomic_thread_fence(std::memory_order_acquire);
  const int fd = std::exchange(h->fd, -1);
  rt::UvResult r = rt::uv_call(
      [fd](const UvIssue& is) {
        return uv_fs_close(is.loop, &is.req->fs, fd, is.fs_cb);
      },
      nullptr, rt::kNoDeadline, /*cancellable=*/false);
  if (r.result() < 0) return os_error("close", name_, r.result());
  return absl::OkStatus();
}

void File::set_deadline(time::Instant t) {
  if (handle_ != nullptr) {
    handle_->deadline.store(deadline_ns(t), std::memory_order_relaxed);
  }
}

void File::clear_deadline() { set_deadline(kNever); }

int File::fd() const { return handle_ == nullptr ? -1 : handle_->fd; }

// --- whole files and paths ---------------------------------------------------

absl::StatusOr<std::string> read_file(std::string_view path) {
  return read_file(path, kNever);
}

absl::StatusOr<std::string> read_file(std::string_view path,
                                      time::Instant deadline) {
  absl::StatusOr<File> f = File::open(path, O_RDONLY, 0, deadline);
  if (!f.ok()) return f.status();
  f->set_deadline(deadline);
  const std::shared_ptr<FileHandle>& h = FileAccess::handle(*f);
  // As in Go, the size is only a hint (files in /proc say 0): read to EOF.
  size_t hint = 0;
  absl::StatusOr<FileInfo> info = f->stat();
  if (!info.ok()) return info.status();
  if (info->size > 0) hint = static_cast<size_t>(info->size);
  // Read straight into the result; an abandoned read keeps it alive.
  auto buf = std::make_shared<std::string>(hint + 512, '\0');
  size_t used = 0;
  for (;;) {
    if (used == buf->size()) buf->resize(std::max(used * 2, used + 4096));
    absl::StatusOr<size_t> n =
        read_once(h, f->name(), buf, buf->data() + used, buf->size() - used, -1,
                  op_deadline(h));
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    used += *n;
  }
  buf->resize(used);
  return std::move(*buf);
}

absl::Status write_file(std::string_view path, std::string_view data,
                        uint32_t perm) {
  return write_file(path, data, perm, kNever);
}

absl::Status write_file(std::string_view path, std::string_view data,
                        uint32_t perm, time::Instant deadline) {
  absl::StatusOr<File> f =
      File::open(path, O_WRONLY | O_CREAT | O_TRUNC, perm, deadline);
  if (!f.ok()) return f.status();
  f->set_deadline(deadline);
  absl::Status s = f->write(data);
  absl::Status c = f->close();
  return s.ok() ? c : s;
}

absl::StatusOr<FileInfo> stat(std::string_view path) {
  auto r = path_call("stat", path,
                     [](uv_loop_t* loop, uv_fs_t* req, const char* p,
                        uv_fs_cb cb) { return uv_fs_stat(loop, req, p, cb); });
  if (!r.ok()) return r.status();
  return info_of(r->req().fs.statbuf, path);
}

absl::Status remove(std::string_view path) {
  // Go's os.Remove: unlink, then rmdir; report rmdir's error unless the
  // path is not a directory.
  auto u =
      path_call("remove", path,
                [](uv_loop_t* loop, uv_fs_t* req, const char* p, uv_fs_cb cb) {
                  return uv_fs_unlink(loop, req, p, cb);
                });
  if (u.ok()) return absl::OkStatus();
  auto d = path_call("remove", path,
                     [](uv_loop_t* loop, uv_fs_t* req, const char* p,
                        uv_fs_cb cb) { return uv_fs_rmdir(loop, req, p, cb); });
  if (d.ok()) return absl::OkStatus();
  return os_errno(d.status()) == ENOTDIR ? u.status() : d.status();
}

absl::Status mkdir(std::string_view path, uint32_t perm) {
  const int mode = static_cast<int>(perm);
  return path_call(
             "mkdir", path,
             [mode](uv_loop_t* loop, uv_fs_t* req, const char* p, uv_fs_cb cb) {
               return uv_fs_mkdir(loop, req, p, mode, cb);
             })
      .status();
}

absl::Status rename(std::string_view from, std::string_view to) {
  auto r = fs_call(
      "rename", cat(from, " ", to),
      [f = std::string(from), t = std::string(to)](const UvIssue& is) {
        return uv_fs_rename(is.loop, &is.req->fs, f.c_str(), t.c_str(),
                            is.fs_cb);
      },
      nullptr, rt::kNoDeadline);
  return r.status();
}

}  // namespace mco::fs
