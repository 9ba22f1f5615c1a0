// Copyright 2026 The mco Authors.
//
// -----------------------------------------------------------------------------
// File: http_upgrade.h
// -----------------------------------------------------------------------------
//
// `upgrade`: the WebSocket endpoint of an mco/net/http server. In a handler,
// it takes the connection over (`ResponseWriter::hijack`) and does the
// server's side of the opening handshake (server.h `accept`); the handler's
// coroutine then serves the WebSocket for as long as it likes.
//
//   router.get("/ws", [](http::Request& req, http::ResponseWriter& w) {
//     auto ws = mco::net::websocket::upgrade(req, w);
//     if (!ws.ok()) return;            // refused with 400/426/403, or gone
//     while (auto m = (*ws)->read(); m.ok()) (*ws)->write(m->type, m->data);
//   });
//
// A request that is not a valid upgrade gets the refusal `accept` sends
// (405, 400, 426 or 403 with the reason) on the hijacked connection, which
// is then closed, and the error is returned. If the connection cannot be
// hijacked (the handler already sent a response head), nothing is sent and
// FailedPrecondition is returned. The HTTP server does not count or shut
// down an upgraded connection: the handler owns it.

#ifndef MCO_STDLIB_NET_WEBSOCKET_HTTP_UPGRADE_H_
#define MCO_STDLIB_NET_WEBSOCKET_HTTP_UPGRADE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "mco/net/http/request.h"
#include "mco/net/http/response_writer.h"
#include "mco/net/websocket/conn.h"
#include "mco/net/websocket/server.h"

namespace mco::net::websocket {

// upgrade()
//
// See the file comment.
absl::StatusOr<std::unique_ptr<Conn>> upgrade(
    const http::Request& request, http::ResponseWriter& writer,
    const AcceptOptions& options = {});

}  // namespace mco::net::websocket

#endif  // MCO_STDLIB_NET_WEBSOCKET_HTTP_UPGRADE_H_
