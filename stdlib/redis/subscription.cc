// Copyright 2026 The mco Authors.
//
// The reader coroutine is the only receiver on the connection: it sends
// messages to `messages_` and the server's confirmations (subscribe,
// unsubscribe, ...) to `acks_`, where the one running `change` (serialised
// by `change_mu_`) waits for as many as it asked for. Both channels are
// closed when the reader ends, which wakes every waiter.

#include "mco/redis/subscription.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mco/cancel.h"
#include "mco/redis/resp.h"

namespace mco::redis {
namespace {

// Debian's Abseil has its own string_view (not std's): convert at calls.
absl::string_view av(std::string_view s) { return {s.data(), s.size()}; }

constexpr size_t kAckBuffer = 1024;

bool is_ack(std::string_view kind) {
  return kind == "subscribe" || kind == "unsubscribe" || kind == "psubscribe" ||
         kind == "punsubscribe";
}

}  // namespace

Subscription::Subscription(std::unique_ptr<Connection> conn, size_t buffer)
    : conn_(std::move(conn)), messages_(buffer), acks_(kAckBuffer) {}

absl::StatusOr<std::unique_ptr<Subscription>> Subscription::open(
    const Options& options, absl::Span<const std::string_view> channels,
    absl::Span<const std::string_view> patterns) {
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::connect(options);
  if (!conn.ok()) return conn.status();
  std::unique_ptr<Subscription> sub(
      new Subscription(std::move(*conn), options.subscription_buffer));
  sub->reader_ = mco::go([s = sub.get()] { s->read_loop(); });
  if (absl::Status st = sub->subscribe(channels); !st.ok()) return st;
  if (absl::Status st = sub->psubscribe(patterns); !st.ok()) return st;
  return sub;
}

Subscription::~Subscription() { close(); }

void Subscription::read_loop() {
  struct CloseChannels {
    Subscription* s;
    ~CloseChannels() {
      s->messages_.close();
      s->acks_.close();
    }
  } guard{this};
  for (;;) {
    absl::StatusOr<Reply> r = conn_->receive();
    if (!r.ok()) {
      std::lock_guard<std::mutex> l(mu_);
      if (!closed_ && status_.ok()) status_ = r.status();
      return;
    }
    if ((r->type() != ReplyType::kPush && r->type() != ReplyType::kArray) ||
        r->elements().empty()) {
      continue;  // e.g. a PING's reply
    }
    std::vector<Reply>& e = r->mutable_elements();
    const std::string& kind = e[0].str();
    if (kind == "message" && e.size() == 3) {
      messages_.send(Message{std::move(e[1].mutable_str()),
                             std::move(e[2].mutable_str()), ""});
    } else if (kind == "pmessage" && e.size() == 4) {
      messages_.send(Message{std::move(e[2].mutable_str()),
                             std::move(e[3].mutable_str()),
                             std::move(e[1].mutable_str())});
    } else if (is_ack(kind) && e.size() == 3) {
      {
        std::lock_guard<std::mutex> l(mu_);
        count_ = e[2].integer();
        const bool pattern = kind[0] == 'p';
        std::set<std::string>& names = pattern ? patterns_ : channels_;
        if (kind == "subscribe" || kind == "psubscribe") {
          names.insert(e[1].str());
        } else {
          names.erase(e[1].str());
        }
      }
      acks_.send(Ack{kind, e[2].integer()});
    }
  }
}

absl::Status Subscription::change(std::string_view verb,
                                  absl::Span<const std::string_view> names,
                                  time::Instant deadline) {
  const bool all = names.empty();
  if (all && (verb == "SUBSCRIBE" || verb == "PSUBSCRIBE")) {
    return absl::OkStatus();
  }
  std::lock_guard<sync::Mutex> change_lock(change_mu_);
  size_t want = names.size();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) {
      return absl::FailedPreconditionError("redis: subscription closed");
    }
    if (!status_.ok()) return status_;
    if (all) {  // one confirmation per name left, or one for none
      const size_t left =
          verb == "UNSUBSCRIBE" ? channels_.size() : patterns_.size();
      want = left > 0 ? left : 1;
    }
  }
  std::vector<std::string_view> args;
  args.reserve(names.size() + 1);
  args.push_back(verb);
  args.insert(args.end(), names.begin(), names.end());
  if (absl::Status st = conn_->send(encode_command(args), deadline); !st.ok()) {
    return st;
  }
  for (size_t got = 0; got < want; ++got) {
    RecvResult<Ack> a;
    if (deadline == time::Instant()) {
      a.value = acks_.recv();
      a.status = a.value ? ChanStatus::kOk : ChanStatus::kClosed;
    } else {
      a = acks_.recv_until(deadline.time_point());
    }
    if (a.timed_out()) {
      absl::Status st = absl::DeadlineExceededError(
          absl::StrCat("redis: ", av(verb), ": no confirmation in time"));
      {
        std::lock_guard<std::mutex> l(mu_);
        if (status_.ok()) status_ = st;
      }
      conn_->close();  // ends the reader, which closes the channels
      return st;
    }
    if (a.closed()) {
      absl::Status st = status();
      return st.ok()
                 ? absl::FailedPreconditionError("redis: subscription closed")
                 : st;
    }
  }
  return absl::OkStatus();
}

absl::Status Subscription::subscribe(
    absl::Span<const std::string_view> channels, time::Instant deadline) {
  return change("SUBSCRIBE", channels, deadline);
}

absl::Status Subscription::psubscribe(
    absl::Span<const std::string_view> patterns, time::Instant deadline) {
  return change("PSUBSCRIBE", patterns, deadline);
}

absl::Status Subscription::unsubscribe(
    absl::Span<const std::string_view> channels, time::Instant deadline) {
  return change("UNSUBSCRIBE", channels, deadline);
}

absl::Status Subscription::punsubscribe(
    absl::Span<const std::string_view> patterns, time::Instant deadline) {
  return change("PUNSUBSCRIBE", patterns, deadline);
}

void Subscription::close() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return;
    closed_ = true;
  }
  conn_->close();    // wakes the reader in `receive`
  reader_.cancel();  // or in `send`, on a full channel
  if (reader_.joinable()) {
    DeferCancel no_cancel;  // the reader must be gone before we are
    try {
      reader_.join();
    } catch (const Cancelled&) {
      // the reader ended by our cancel
    }
  }
}

absl::Status Subscription::status() const {
  std::lock_guard<std::mutex> l(mu_);
  return status_;
}

int64_t Subscription::count() const {
  std::lock_guard<std::mutex> l(mu_);
  return count_;
}

}  // namespace mco::redis
