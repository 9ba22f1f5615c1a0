// Copyright 2026 The mco Authors.
//
// A context is a node in a tree. Cancellable nodes own a done channel, an
// error and weak links to their cancellable descendants; value nodes only
// point up. Cancelling locks one node at a time (never two), closes its
// channel, then cancels the children it collected.

#include "mco/context/context.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "runtime/clock.h"
#include "runtime/timer.h"

namespace mco {
namespace detail {

struct ContextNode {
  std::shared_ptr<ContextNode> parent;
  bool cancellable = false;
  std::optional<time::Instant> deadline;  // effective (min over ancestors)

  // Cancellable nodes.
  std::mutex mu;
  Chan<std::monostate> done;
  absl::Status err;                                  // guarded by mu
  std::vector<std::weak_ptr<ContextNode>> children;  // guarded by mu
  rt::TimerTask timer;                               // guarded by mu

  // Value nodes.
  const void* key = nullptr;
  std::shared_ptr<const void> value;
};

namespace {

// The nearest cancellable node at or above `n`, or nullptr.
ContextNode* owner_of(ContextNode* n) {
  while (n != nullptr && !n->cancellable) n = n->parent.get();
  return n;
}

void cancel(const std::shared_ptr<ContextNode>& n, const absl::Status& why) {
  std::vector<std::weak_ptr<ContextNode>> children;
  {
    std::lock_guard<std::mutex> lock(n->mu);
    if (!n->err.ok()) return;
    n->err = why;
    n->done.close();
    n->timer.cancel();
    children.swap(n->children);
  }
  for (auto& weak : children) {
    if (auto child = weak.lock()) cancel(child, why);
  }
}

// Creates a cancellable child of `parent` and links it for propagation.
std::shared_ptr<ContextNode> new_cancellable(
    const std::shared_ptr<ContextNode>& parent) {
  auto n = std::make_shared<ContextNode>();
  n->parent = parent;
  n->cancellable = true;
  n->done = Chan<std::monostate>(0);
  if (parent != nullptr) n->deadline = parent->deadline;
  if (ContextNode* owner = owner_of(parent.get()); owner != nullptr) {
    absl::Status parent_err;
    {
      std::lock_guard<std::mutex> lock(owner->mu);
      parent_err = owner->err;
      if (parent_err.ok()) {
        // Drop links to children that are gone, then add this one.
        auto& ch = owner->children;
        ch.erase(std::remove_if(ch.begin(), ch.end(),
                                [](auto& w) { return w.expired(); }),
                 ch.end());
        ch.push_back(n);
      }
    }
    if (!parent_err.ok()) cancel(n, parent_err);
  }
  return n;
}

absl::Status canceled() { return absl::CancelledError("context canceled"); }

absl::Status deadline_exceeded() {
  return absl::DeadlineExceededError("context deadline exceeded");
}

}  // namespace
}  // namespace detail

Context Context::background() { return Context(nullptr); }

Chan<std::monostate> Context::done() const {
  detail::ContextNode* owner = detail::owner_of(node_.get());
  return owner == nullptr ? Chan<std::monostate>() : owner->done;
}

absl::Status Context::err() const {
  detail::ContextNode* owner = detail::owner_of(node_.get());
  if (owner == nullptr) return absl::OkStatus();
  std::lock_guard<std::mutex> lock(owner->mu);
  return owner->err;
}

std::optional<time::Instant> Context::deadline() const {
  return node_ == nullptr ? std::nullopt : node_->deadline;
}

const void* Context::find_value(const void* key) const {
  for (detail::ContextNode* n = node_.get(); n != nullptr;
       n = n->parent.get()) {
    if (n->key == key) return n->value.get();
  }
  return nullptr;
}

Context Context::with_value_erased(const Context& parent, const void* key,
                                   std::shared_ptr<const void> value) {
  auto n = std::make_shared<detail::ContextNode>();
  n->parent = parent.node_;
  if (parent.node_ != nullptr) n->deadline = parent.node_->deadline;
  n->key = key;
  n->value = std::move(value);
  return Context(std::move(n));
}

void CancelFunc::operator()() const {
  if (node_ != nullptr) detail::cancel(node_, detail::canceled());
}

std::pair<Context, CancelFunc> with_cancel(const Context& parent) {
  auto n = detail::new_cancellable(parent.node_);
  return {Context(n), CancelFunc(n)};
}

std::pair<Context, CancelFunc> with_deadline(const Context& parent,
                                             time::Instant deadline) {
  auto n = detail::new_cancellable(parent.node_);
  if (n->deadline.has_value() && *n->deadline <= deadline) {
    // The parent's deadline comes first and will cancel this one too.
    return {Context(n), CancelFunc(n)};
  }
  n->deadline = deadline;
  if (deadline <= time::Instant::now()) {
    detail::cancel(n, detail::deadline_exceeded());
    return {Context(n), CancelFunc(n)};
  }
  std::weak_ptr<detail::ContextNode> weak = n;
  rt::TimerTask timer = rt::TimerTask::schedule(deadline.nanos(), [weak] {
    if (auto node = weak.lock()) {
      detail::cancel(node, detail::deadline_exceeded());
    }
  });
  if (timer.empty()) {
    throw std::logic_error(
        "mco::with_deadline needs a running scheduler (mco::run)");
  }
  {
    std::lock_guard<std::mutex> lock(n->mu);
    if (n->err.ok()) {
      n->timer = std::move(timer);
    } else {
      timer.cancel();
    }
  }
  return {Context(n), CancelFunc(n)};
}

}  // namespace mco
