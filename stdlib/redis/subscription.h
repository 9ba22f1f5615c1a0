// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: subscription.h
// -----------------------------------------------------------------------------
//
// `Subscription`: Redis pub/sub, as go-redis's PubSub. It owns a dedicated
// connection and a reader coroutine that delivers each published message on
// an `mco::Chan<Message>`, in the order the server sent them.
//
//   MCO_ASSIGN_OR_RETURN(auto sub, client.subscribe({"news"}));
//   mco::Chan<mco::redis::Message> ch = sub->messages();
//   while (std::optional<mco::redis::Message> m = ch.recv()) {
//     use(m->channel, m->payload);
//     if (done) sub->close();           // the loop ends: `recv` says closed
//   }
//
// `subscribe`, `psubscribe`, `unsubscribe`, `punsubscribe` change the set of
// channels (patterns) later; each returns once the server has confirmed
// every name, so a message published after it returns is delivered.
// Works with RESP3 (push messages) and RESP2 (arrays).
//
// The channel buffers `Options::subscription_buffer` messages; when it is
// full the reader waits, and the server buffers (and may drop the client
// past its `client-output-buffer-limit pubsub`). The channel is closed
// when the subscription ends: by `close()` (or the destructor), or when the
// connection fails; `status()` then says why (OK after `close()`).
//
// Thread safety: the methods may be called from any coroutine or thread;
// changes of the set are serialised. A subscription needs a running
// scheduler (its reader is a coroutine).

#ifndef MCO_STDLIB_REDIS_SUBSCRIPTION_H_
#define MCO_STDLIB_REDIS_SUBSCRIPTION_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "mco/chan/chan.h"
#include "mco/go.h"
#include "mco/redis/connection.h"
#include "mco/redis/options.h"
#include "mco/sync/mutex.h"
#include "mco/time/instant.h"

namespace mco::redis {

// One published message. `pattern` is set for a pattern subscription's
// message (PSUBSCRIBE), empty otherwise.
struct Message {
  std::string channel;
  std::string payload;
  std::string pattern;
};

class Subscription {
 public:
  // Subscription::open()
  //
  // Connects (a connection of its own) and subscribes to `channels` and
  // `patterns` (either may be empty).
  static absl::StatusOr<std::unique_ptr<Subscription>> open(
      const Options& options, absl::Span<const std::string_view> channels,
      absl::Span<const std::string_view> patterns);

  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  // Closes (see `close`).
  ~Subscription();

  // Subscription::messages()
  //
  // The channel the messages arrive on (a handle to the same channel each
  // time).
  [[nodiscard]] Chan<Message> messages() const { return messages_; }

  // Subscription::subscribe() / psubscribe() / unsubscribe() / punsubscribe()
  //
  // Change the set; return once confirmed, or fail when the subscription
  // has ended. `unsubscribe({})` leaves every channel. Passing `deadline`
  // ends the subscription (DeadlineExceeded in `status()`), since the
  // server's confirmations are then out of step.
  absl::Status subscribe(absl::Span<const std::string_view> channels,
                         time::Instant deadline = {});
  absl::Status psubscribe(absl::Span<const std::string_view> patterns,
                          time::Instant deadline = {});
  absl::Status unsubscribe(absl::Span<const std::string_view> channels,
                           time::Instant deadline = {});
  absl::Status punsubscribe(absl::Span<const std::string_view> patterns,
                            time::Instant deadline = {});

  // Subscription::close()
  //
  // Ends the subscription: closes the connection, stops the reader and
  // closes `messages()` (after the messages already in it). Idempotent.
  void close();

  // Subscription::status()
  //
  // Why the subscription ended: OK while it runs and after `close()`, the
  // connection's error if that failed.
  [[nodiscard]] absl::Status status() const;

  // The channels and patterns subscribed now, as the server counts them.
  [[nodiscard]] int64_t count() const;

 private:
  struct Ack {
    std::string kind;  // "subscribe", "unsubscribe", ...
    int64_t count;     // subscriptions left after it
  };
  explicit Subscription(std::unique_ptr<Connection> conn, size_t buffer);
  absl::Status change(std::string_view verb,
                      absl::Span<const std::string_view> names,
                      time::Instant deadline);
  void read_loop();

  std::unique_ptr<Connection> conn_;
  Chan<Message> messages_;
  Chan<Ack> acks_;
  JoinHandle<void> reader_;
  sync::Mutex change_mu_;  // one change of the set at a time
  mutable std::mutex mu_;  // guards status_, count_, closed_
  absl::Status status_;
  int64_t count_ = 0;
  std::set<std::string> channels_;  // as confirmed by the server
  std::set<std::string> patterns_;
  bool closed_ = false;
};

}  // namespace mco::redis

#endif  // MCO_STDLIB_REDIS_SUBSCRIPTION_H_
