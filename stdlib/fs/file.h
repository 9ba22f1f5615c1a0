// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: file.h
// -----------------------------------------------------------------------------
//
// Files: Go's `os` file API (`os.File`, `os.ReadFile`, `os.WriteFile`,
// `os.Stat`, `os.Remove`, ...) without blocking a worker. Each operation is
// one libuv file request run on libuv's thread pool while the calling
// coroutine is parked; a plain thread simply blocks.
//
//   namespace fs = mco::fs;
//   MCO_TRY(fs::write_file("/tmp/greeting", "hello\n"));
//   MCO_ASSIGN_OR_RETURN(std::string text, fs::read_file("/tmp/greeting"));
//
//   MCO_ASSIGN_OR_RETURN(
//       fs::File log, fs::File::open("/tmp/log", O_WRONLY | O_APPEND | O_CREAT,
//                                    0644));
//   MCO_TRY(log.write("one line\n"));  // writes all of it
//   MCO_TRY(log.close());              // or let the destructor close it
//
// Contract:
//  - Errors are `absl::Status`es in Go's words, naming the operation and the
//    path: "open /nope: no such file or directory". The code follows the OS
//    error (`ENOENT` -> kNotFound, `EACCES` -> kPermissionDenied, `EEXIST` ->
//    kAlreadyExists, ...) and the error number rides along as a payload:
//    `os_errno(status)` returns it.
//  - End of file is not an error: `read` returns 0, `read_at` returns fewer
//    bytes than asked for.
//  - Works in a coroutine (parks; the worker runs other coroutines) and on a
//    plain thread (blocks). Without a running scheduler the operations run
//    synchronously on the caller's thread.
//  - Cancellation: every operation but `close` is a cancellation point. A
//    coroutine cancelled while it waits throws `mco::Cancelled` at once; the
//    operation is abandoned and finishes in the background, safely: it uses
//    its own copy of the data and its own reference to the descriptor (which
//    is closed only when the last operation using it has finished), and the
//    descriptor an abandoned open returns is closed.
//  - Deadlines: `read_file`, `write_file` and `File::open` take an optional
//    deadline, and `File::set_deadline` sets one for the file's later
//    operations (Go's `SetDeadline`). A wait that reaches it is abandoned like
//    a cancelled one and the operation returns kDeadlineExceeded ("read
//    /path: i/o timeout"). The free functions `stat`, `remove`, `mkdir` and
//    `rename` are single metadata requests and take none (they remain
//    cancellation points).
//  - An abandoned write may still happen, and an abandoned read or write may
//    still move the file's offset: after a timeout or a cancellation the
//    offset is unspecified.
//  - A `File` may be used by several coroutines at once (`read_at` and
//    `write_at` are then the useful ones), except that `close`, moving and
//    destroying must not overlap other operations on it.
//
// Open flags and modes are POSIX's (`O_RDONLY`, `O_WRONLY | O_CREAT |
// O_TRUNC`, `0644`, ...); descriptors are always close-on-exec.

#ifndef MCO_STDLIB_FS_FILE_H_
#define MCO_STDLIB_FS_FILE_H_

#include <fcntl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "mco/time/instant.h"

namespace mco::fs {

namespace internal {
// A descriptor shared by a File and its operations in flight, and the
// package's access to File's insides (file.cc).
struct FileHandle;
struct FileAccess;
}  // namespace internal

// The payload type URL under which an error keeps its OS error number (the
// payload is the number in decimal).
inline constexpr absl::string_view kErrnoPayloadUrl =
    "type.mco.dev/mco.fs.Errno";

// os_errno()
//
// The OS error number (`ENOENT`, ...) behind an error of this package, or 0.
[[nodiscard]] int os_errno(const absl::Status& status);

// FileInfo
//
// What `stat` returns (Go's os.FileInfo).
struct FileInfo {
  std::string name;   // the last element of the path (Go's Name())
  int64_t size = 0;   // in bytes
  uint32_t mode = 0;  // `st_mode`: the type bits and the permissions (& 07777)
  bool is_dir = false;
  absl::Time mtime;  // last modification, on the wall clock
};

// File
//
// An open file (Go's os.File). Move-only; the destructor closes it (ignoring
// errors: call `close()` to see them).
class File {
 public:
  // A File that is not open; every operation on it fails with
  // kFailedPrecondition ("read : file already closed").
  File() = default;
  ~File();
  File(File&& other) noexcept = default;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // File::open()
  //
  // Opens `path` with `flags` (`O_RDONLY` by default) and, if it creates the
  // file, permissions `perm` (before the umask). Go's os.OpenFile (and,
  // with the defaults, os.Open).
  static absl::StatusOr<File> open(std::string_view path, int flags = O_RDONLY,
                                   uint32_t perm = 0666);
  static absl::StatusOr<File> open(std::string_view path, int flags,
                                   uint32_t perm, time::Instant deadline);

  // File::create()
  //
  // Creates or truncates `path` for reading and writing (`O_RDWR | O_CREAT |
  // O_TRUNC`, 0666). Go's os.Create.
  static absl::StatusOr<File> create(std::string_view path);

  // File::read()
  //
  // Reads up to `buf.size()` bytes at the file's offset; returns how many,
  // 0 at end of file (for a non-empty `buf`).
  absl::StatusOr<size_t> read(absl::Span<char> buf);

  // File::read_at()
  //
  // Reads `buf.size()` bytes at `offset` (the file's offset is unchanged),
  // fewer only at end of file; returns how many.
  absl::StatusOr<size_t> read_at(absl::Span<char> buf, int64_t offset);

  // File::write()
  //
  // Writes all of `data` at the file's offset (at its end with `O_APPEND`).
  absl::Status write(std::string_view data);

  // File::write_at()
  //
  // Writes all of `data` at `offset` (the file's offset is unchanged).
  absl::Status write_at(std::string_view data, int64_t offset);

  // File::stat()
  //
  // Information about the open file (`fstat`).
  absl::StatusOr<FileInfo> stat();

  // File::sync()
  //
  // Commits the file's contents to stable storage (`fsync`).
  absl::Status sync();

  // File::close()
  //
  // Closes the file. Not a cancellation point, and never abandoned. If
  // abandoned operations still use the descriptor, it is closed when the
  // last of them finishes, and close returns OK. A second close fails with
  // kFailedPrecondition ("close <name>: file already closed").
  absl::Status close();

  // File::set_deadline() / clear_deadline()
  //
  // Every later operation of this file except `close` gives up at `t` with
  // kDeadlineExceeded (an operation waiting now keeps its deadline).
  void set_deadline(time::Instant t);
  void clear_deadline();

  // File::is_open() / fd() / name()
  //
  // Whether the file is open; its descriptor (-1 if closed); the path it was
  // opened with.
  [[nodiscard]] bool is_open() const { return handle_ != nullptr; }
  [[nodiscard]] int fd() const;
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  friend struct internal::FileAccess;
  File(std::shared_ptr<internal::FileHandle> handle, std::string name)
      : handle_(std::move(handle)), name_(std::move(name)) {}

  std::shared_ptr<internal::FileHandle> handle_;
  std::string name_;
};

// read_file()
//
// The whole contents of `path` (Go's os.ReadFile).
absl::StatusOr<std::string> read_file(std::string_view path);
absl::StatusOr<std::string> read_file(std::string_view path,
                                      time::Instant deadline);

// write_file()
//
// Writes `data` to `path`, creating it with `perm` (before the umask) or
// truncating it first (Go's os.WriteFile).
absl::Status write_file(std::string_view path, std::string_view data,
                        uint32_t perm = 0666);
absl::Status write_file(std::string_view path, std::string_view data,
                        uint32_t perm, time::Instant deadline);

// stat()
//
// Information about `path`, following symbolic links (Go's os.Stat).
absl::StatusOr<FileInfo> stat(std::string_view path);

// remove()
//
// Removes the file or empty directory `path` (Go's os.Remove).
absl::Status remove(std::string_view path);

// mkdir()
//
// Creates the directory `path` with `perm` (before the umask) (Go's
// os.Mkdir).
absl::Status mkdir(std::string_view path, uint32_t perm = 0777);

// rename()
//
// Renames `from` to `to`, replacing `to` if it is a file (Go's os.Rename).
absl::Status rename(std::string_view from, std::string_view to);

}  // namespace mco::fs

#endif  // MCO_STDLIB_FS_FILE_H_
