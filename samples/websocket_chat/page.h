// Copyright 2026 The mco Authors.
//
// The chat's one page: connects to /ws on the same host (wss: when the page
// came over https:), shows what arrives, sends what is typed.

#ifndef MCO_SAMPLES_WEBSOCKET_CHAT_PAGE_H_
#define MCO_SAMPLES_WEBSOCKET_CHAT_PAGE_H_

namespace websocket_chat {

inline constexpr char kPage[] = R"HTML(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mco chat</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; max-width: 40em; margin: 2em auto; }
  #log { border: 1px solid #ccc; height: 20em; overflow-y: auto; padding: .5em; }
  #log p { margin: 0 0 .2em; }
  #status { color: #666; }
  form { display: flex; gap: .5em; margin-top: .5em; }
  #text { flex: 1; }
</style>
</head>
<body>
<h1>mco chat</h1>
<p id="status">connecting…</p>
<div id="log"></div>
<form id="form"><input id="text" autocomplete="off" placeholder="say something"><button>Send</button></form>
<script>
// Query parameters: name=NAME picks the name; say=TEXT sends TEXT once
// connected; answer=1 replies "got: MESSAGE" to every message from someone
// else (the end-to-end test drives a headless browser with these).
const params = new URLSearchParams(location.search);
const name = params.get("name") || "guest" + Math.floor(Math.random() * 1000);
const scheme = location.protocol === "https:" ? "wss:" : "ws:";
const ws = new WebSocket(scheme + "//" + location.host + "/ws?name=" + encodeURIComponent(name));
const log = document.getElementById("log");
function show(text) {
  const p = document.createElement("p");
  p.textContent = text;
  log.appendChild(p);
  log.scrollTop = log.scrollHeight;
}
ws.onopen = () => {
  document.getElementById("status").textContent = "connected as " + name;
  if (params.get("say")) ws.send(params.get("say"));
};
ws.onmessage = (e) => {
  show(e.data);
  // "NAME: text" is a message; "welcome, ..." and "* ..." are not.
  const sep = e.data.indexOf(": ");
  if (params.get("answer") && sep > 0 && e.data.slice(0, sep) !== name) {
    ws.send("got: " + e.data);
  }
};
ws.onclose = (e) => { document.getElementById("status").textContent = "disconnected (" + e.code + ")"; };
document.getElementById("form").onsubmit = (e) => {
  e.preventDefault();
  const t = document.getElementById("text");
  if (t.value) ws.send(t.value);
  t.value = "";
};
</script>
</body>
</html>
)HTML";

}  // namespace websocket_chat

#endif  // MCO_SAMPLES_WEBSOCKET_CHAT_PAGE_H_
