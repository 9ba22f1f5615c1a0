// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: tsan_visible_lock.h
// -----------------------------------------------------------------------------
//
// Internal to mco/container. `absl::Mutex` comes from Debian's Abseil, which
// is not built with ThreadSanitizer, so TSan does not see the ordering its
// lock and unlock create and reports the data they guard as races. These
// scoped locks are `absl::MutexLock` / `absl::ReaderMutexLock` plus, in TSan
// builds only, the same ordering told to TSan (acquire after locking,
// release before unlocking). Elsewhere they are exactly the Abseil locks.

#ifndef MCO_STDLIB_CONTAINER_TSAN_VISIBLE_LOCK_H_
#define MCO_STDLIB_CONTAINER_TSAN_VISIBLE_LOCK_H_

#include "absl/synchronization/mutex.h"

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace mco::container::internal {

inline void tsan_acquired(absl::Mutex* mu) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(mu);
#else
  (void)mu;
#endif
}

inline void tsan_releasing(absl::Mutex* mu) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(mu);
#else
  (void)mu;
#endif
}

class ABSL_SCOPED_LOCKABLE WriteLock {
 public:
  explicit WriteLock(absl::Mutex* mu) ABSL_EXCLUSIVE_LOCK_FUNCTION(mu)
      : lock_(mu), mu_(mu) {
    tsan_acquired(mu_);
  }
  ~WriteLock() ABSL_UNLOCK_FUNCTION() { tsan_releasing(mu_); }
  WriteLock(const WriteLock&) = delete;
  WriteLock& operator=(const WriteLock&) = delete;

 private:
  absl::MutexLock lock_;
  absl::Mutex* const mu_;
};

class ABSL_SCOPED_LOCKABLE ReadLock {
 public:
  explicit ReadLock(absl::Mutex* mu) ABSL_SHARED_LOCK_FUNCTION(mu)
      : lock_(mu), mu_(mu) {
    tsan_acquired(mu_);
  }
  ~ReadLock() ABSL_UNLOCK_FUNCTION() { tsan_releasing(mu_); }
  ReadLock(const ReadLock&) = delete;
  ReadLock& operator=(const ReadLock&) = delete;

 private:
  absl::ReaderMutexLock lock_;
  absl::Mutex* const mu_;
};

}  // namespace mco::container::internal

#endif  // MCO_STDLIB_CONTAINER_TSAN_VISIBLE_LOCK_H_
