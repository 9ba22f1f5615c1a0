// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: chat_hub.h
// -----------------------------------------------------------------------------
//
// The room of the chat samples (samples/chat over TCP lines,
// samples/websocket_chat over WebSocket), built the Go way: one hub
// coroutine owns the set of clients, and clients talk to it through
// channels.
//
//   mco::Chan<ChatEvent> events(kHubQueue);
//   mco::go([events] { ChatHub().run(events); }).detach();
//   // per client: send kJoin (with its outbox), kMessage..., kLeave
//
// What the clients get on their outbox (messages, without a newline):
//
//   on join, the client gets   welcome, you are NAME
//   the others get             * NAME joined
//   a message "text"            NAME: text      (to every other client)
//   on leave                   * NAME left
//
// Joins, leaves and messages reach the hub as events on one channel, so each
// client's events arrive in the order the client caused them (a select over
// three channels could take a client's first message before its join). The
// hub sends the welcome when it handles the join: a client that has read
// its welcome is in the room, and sees every later join.
//
// The hub never waits on a client: it offers each message with `try_send`.
// A client whose outbox is full (it does not read fast enough) is dropped:
// the hub closes its outbox and announces `* NAME left (too slow)`.

#ifndef MCO_SAMPLES_COMMON_CHAT_HUB_H_
#define MCO_SAMPLES_COMMON_CHAT_HUB_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mco/chan/chan.h"

namespace mco_samples {

// What clients tell the hub.
struct ChatEvent {
  enum class Kind { kJoin, kLeave, kMessage };
  Kind kind = Kind::kMessage;
  int id = 0;                     // unique per client
  std::string name;               // kJoin: how the others see the client
  std::string text;               // kMessage
  mco::Chan<std::string> outbox;  // kJoin: where the client's messages go
};

// The hub: the only owner of the set of clients.
class ChatHub {
 public:
  // Handles events until the channel is closed (or the hub is cancelled).
  void run(mco::Chan<ChatEvent> events) {
    for (ChatEvent e : events) handle(e);
  }

  // How many clients are in the room (for the hub's own coroutine).
  [[nodiscard]] size_t size() const { return clients_.size(); }

 private:
  struct Client {
    std::string name;
    mco::Chan<std::string> outbox;
  };

  void handle(ChatEvent& e) {
    switch (e.kind) {
      case ChatEvent::Kind::kJoin:  // the outbox is new: the welcome fits
        static_cast<void>(e.outbox.try_send("welcome, you are " + e.name));
        clients_.emplace(e.id, Client{e.name, std::move(e.outbox)});
        broadcast("* " + e.name + " joined", e.id);
        break;
      case ChatEvent::Kind::kLeave:
        if (std::string name; remove(e.id, &name)) {
          broadcast("* " + name + " left", e.id);
        }
        break;
      case ChatEvent::Kind::kMessage:
        if (auto it = clients_.find(e.id); it != clients_.end()) {
          // (not if dropped meanwhile)
          broadcast(it->second.name + ": " + e.text, e.id);
        }
        break;
    }
  }

  // Offers `message` to every client but `except`, never waiting. Clients
  // whose outbox is full are dropped, which is announced in turn.
  void broadcast(const std::string& message, int except) {
    std::vector<int> slow;
    for (auto& [id, client] : clients_) {
      if (id != except && !client.outbox.try_send(message)) slow.push_back(id);
    }
    for (int id : slow) {
      if (std::string name; remove(id, &name)) {
        broadcast("* " + name + " left (too slow)", id);
      }
    }
  }

  // Forgets client `id` and closes its outbox; false if it was not here.
  bool remove(int id, std::string* name) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    it->second.outbox.close();
    *name = std::move(it->second.name);
    clients_.erase(it);
    return true;
  }

  std::map<int, Client> clients_;
};

}  // namespace mco_samples

#endif  // MCO_SAMPLES_COMMON_CHAT_HUB_H_
