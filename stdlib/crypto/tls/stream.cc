// Copyright 2026 The mco Authors.
//
// Stream (stream.h): TLS over a net::Conn with OpenSSL 3.
//
// The model. OpenSSL never touches the network: its `SSL` reads ciphertext
// from one memory BIO (`rbio`, which we fill from the connection) and writes
// ciphertext to another (`wbio`, which we drain to the connection). So every
// OpenSSL call returns at once, and all waiting is the underlying
// connection's: it parks the coroutine (or blocks a plain thread), honours
// its deadlines, wakes on close and throws `mco::Cancelled`.
//
// Why: an `SSL` must not be used by two threads at once, and a coroutine may
// move to another worker thread whenever it parks. An `SSL` driven by the
// socket itself would have to be locked across the park (blocking a reader
// behind a writer that waits for a slow peer, or a worker behind a lock held
// by a parked coroutine). With memory BIOs the OpenSSL calls are short.
//
// Locks, in the order they are taken:
//   hs_mu     (sync::Mutex) one handshake at a time; held across parks.
//   read_mu   (sync::Mutex) the network's read side and `in_buf`: one
//             coroutine reads the connection and feeds `rbio` at a time.
//   write_mu  (sync::Mutex) the network's write side and `out_buf`: one
//             coroutine drains `wbio` to the connection at a time, so
//             records are never interleaved or reordered.
//   mu        (std::mutex) the `SSL` and its BIOs. Held only around OpenSSL
//             calls, never across a park, so the coroutine stays on one
//             thread while it holds it (which is also what makes OpenSSL's
//             per-thread error queue readable right after a failed call).
// The handshake takes hs_mu, read_mu, write_mu; read and write take hs_mu
// (briefly, until the handshake is done) and then only their own side.
//
// Reading: under read_mu, SSL_read; if OpenSSL wants more bytes, read the
// connection (parking), feed rbio under mu, retry. Writing: under write_mu,
// SSL_write a chunk (64 KiB) into wbio, drain wbio to the connection, repeat.
// A read can make OpenSSL write too (an alert, a TLS 1.3 key update reply):
// the reader then drains wbio only if write_mu is free (`flush_if_free`:
// try_lock, never wait, since a writer may be blocked on a peer that waits
// for us to read); whoever releases write_mu checks wbio again, so no
// output is stranded.
//
// Invariants: ciphertext leaves wbio only under write_mu, in order; bytes
// enter rbio only under read_mu (or hs_mu + read_mu), in order. A failed
// network write may leave half a record sent: `write_error` then fails
// every later write. The handshake result is sticky (`hs_error`).
//
// Rejected: BIO_new_bio_pair (a bounded pair makes SSL_write return
// WANT_WRITE mid-record, and the pair's two ends would still need both
// sides' locks); one lock for everything (a reader waiting for data would
// block writers); a thread per connection (defeats the runtime).

#include "mco/crypto/tls/stream.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "mco/cancel.h"
#include "mco/crypto/tls/record.h"
#include "mco/net/address.h"
#include "mco/net/tcp.h"
#include "mco/sync/mutex.h"
#include "stdlib/crypto/tls/ssl_internal.h"

namespace mco::tls {
namespace {

constexpr size_t kReadChunk = 16 * 1024 + 512;   // one full record
constexpr size_t kWriteChunk = 64 * 1024;        // plaintext per SSL_write
constexpr size_t kMaxOutBuf = 72 * 1024;         // ciphertext per drain
constexpr size_t kMaxWritePerCall = 256 * 1024;  // Stream::write
constexpr time::Duration kCloseNotifyTimeout = 5 * time::Second;

absl::Status closed_error() {
  return absl::FailedPreconditionError("tls: use of closed connection");
}

bool is_ip_literal(const std::string& s) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace

struct Stream::State {
  State(std::unique_ptr<net::Conn> c, std::shared_ptr<internal::ConfigImpl> cfg,
        bool is_client)
      : conn(std::move(c)), config(std::move(cfg)), client(is_client) {
    ssl = SSL_new(config->ctx);
    BIO* r = BIO_new(BIO_s_mem());
    BIO* w = BIO_new(BIO_s_mem());
    if (ssl == nullptr || r == nullptr || w == nullptr) {
      SSL_free(ssl);
      BIO_free(r);
      BIO_free(w);
      throw std::bad_alloc();
    }
    BIO_set_mem_eof_return(r, -1);  // empty means "wait for more", not EOF
    SSL_set_bio(ssl, r, w);         // ssl owns both now
    rbio = r;
    wbio = w;
  }
  ~State() { SSL_free(ssl); }

  // Builds the error for a failed SSL call (err from SSL_get_error).
  absl::Status describe_failure_locked(int err, bool handshaking);
  // Whether OpenSSL has ciphertext for the network.
  bool output_pending();
  // Drains wbio to the connection. REQUIRES write_mu.
  absl::Status flush_locked();
  // Drains wbio if write_mu is free, without waiting for it.
  void flush_if_free();
  // Releases write_mu (taken by a writer) and drains what a reader left.
  void unlock_write();
  // Reads the connection once and feeds rbio. REQUIRES read_mu.
  absl::Status fill(bool handshaking);
  // The handshake loop. REQUIRES hs_mu, read_mu, write_mu.
  absl::Status run_handshake();
  // Encrypts and sends all of `len`. REQUIRES write_mu.
  absl::Status write_locked(const char* p, size_t len);

  const std::unique_ptr<net::Conn> conn;
  const std::shared_ptr<internal::ConfigImpl> config;
  const bool client;
  std::string name;  // a client's server name (SNI and verification)

  std::mutex mu;
  SSL* ssl = nullptr;   // guarded by mu
  BIO* rbio = nullptr;  // guarded by mu: network -> OpenSSL
  BIO* wbio = nullptr;  // guarded by mu: OpenSSL -> network

  sync::Mutex hs_mu;
  absl::Status hs_error;  // guarded by hs_mu
  std::atomic<bool> hs_done{false};

  sync::Mutex read_mu;
  std::vector<char> in_buf;  // guarded by read_mu
  std::string first_bytes;   // guarded by read_mu: the first record header
  bool first_checked = false;
  absl::Status read_error;  // guarded by read_mu: sticky (EOF, bad peer)

  sync::Mutex write_mu;
  std::vector<char> out_buf;  // guarded by write_mu
  absl::Status write_error;   // guarded by write_mu: sticky
  bool close_notify_sent = false;

  std::atomic<bool> closed{false};
};

absl::Status Stream::State::describe_failure_locked(int err, bool handshaking) {
  const bool verifying = client ? !config->insecure_skip_verify
                                : config->client_auth != ClientAuth::kNone;
  const long verify = SSL_get_verify_result(ssl);
  if (verifying && verify != X509_V_OK) {
    ERR_clear_error();
    std::string msg = absl::StrCat("tls: certificate verify failed: ",
                                   X509_verify_cert_error_string(verify));
    if (verify == X509_V_ERR_HOSTNAME_MISMATCH ||
        verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
      absl::StrAppend(&msg, " (want \"", name, "\")");
    }
    return absl::UnauthenticatedError(msg);
  }
  if (err == SSL_ERROR_SYSCALL) {
    return absl::UnavailableError(
        absl::StrCat("tls: ", internal::openssl_errors("unexpected EOF")));
  }
  return absl::UnavailableError(
      absl::StrCat(handshaking ? "tls: handshake failed: " : "tls: ",
                   internal::openssl_errors()));
}

bool Stream::State::output_pending() {
  std::lock_guard<std::mutex> l(mu);
  return BIO_ctrl_pending(wbio) > 0;
}

absl::Status Stream::State::flush_locked() {
  for (;;) {
    int n = 0;
    {
      std::lock_guard<std::mutex> l(mu);
      if (!write_error.ok()) {
        (void)BIO_reset(wbio);  // nowhere to send it
        return write_error;
      }
      const size_t pending = BIO_ctrl_pending(wbio);
      if (pending == 0) return absl::OkStatus();
      if (out_buf.size() < std::min(pending, kMaxOutBuf)) {
        out_buf.resize(std::min(pending, kMaxOutBuf));
      }
      n = BIO_read(wbio, out_buf.data(), static_cast<int>(out_buf.size()));
    }
    if (n <= 0) return absl::OkStatus();
    // If the write throws (Cancelled), part of a record may be out.
    struct Interrupted {
      State* s;
      bool done = false;
      ~Interrupted() {
        if (!done) {
          s->write_error = absl::AbortedError(
              "tls: a write was interrupted; the stream cannot write any more");
        }
      }
    } guard{this};
    absl::Status st = conn->write_all(out_buf.data(), static_cast<size_t>(n));
    guard.done = true;
    if (!st.ok()) {
      write_error = st;
      return st;
    }
  }
}

void Stream::State::flush_if_free() {
  for (;;) {
    if (!write_mu.try_lock()) return;  // the holder drains after us
    {
      std::lock_guard<sync::Mutex> l(write_mu, std::adopt_lock);
      (void)flush_locked();  // an error is the writers' to report
    }
    if (!output_pending()) return;
  }
}

void Stream::State::unlock_write() {
  write_mu.unlock();
  if (output_pending()) flush_if_free();
}

absl::Status Stream::State::fill(bool handshaking) {
  if (!read_error.ok()) return read_error;
  if (in_buf.empty()) in_buf.resize(kReadChunk);
  absl::StatusOr<size_t> n = conn->read(in_buf.data(), in_buf.size());
  if (!n.ok()) return n.status();  // a deadline may be retried
  if (*n == 0) {
    read_error =
        handshaking
            ? absl::UnavailableError(
                  "tls: handshake failed: connection closed by the peer")
            : absl::OutOfRangeError(
                  "tls: unexpected EOF: the peer closed the connection "
                  "without close_notify");
    return read_error;
  }
  if (!first_checked) {  // tell a plaintext peer from a TLS one
    const size_t want = 16 - first_bytes.size();  // a header, and some more
    first_bytes.append(in_buf.data(), std::min(*n, want));  // to show
    if (absl::Status st = check_first_record(first_bytes); !st.ok()) {
      read_error = absl::UnavailableError(st.message());
      return read_error;
    }
    first_checked = first_bytes.size() >= kRecordHeaderSize;
  }
  std::lock_guard<std::mutex> l(mu);
  BIO_write(rbio, in_buf.data(), static_cast<int>(*n));  // grows as needed
  return absl::OkStatus();
}

absl::Status Stream::State::run_handshake() {
  for (;;) {
    int r = 0;
    int err = SSL_ERROR_NONE;
    absl::Status failure;
    {
      std::lock_guard<std::mutex> l(mu);
      ERR_clear_error();
      r = SSL_do_handshake(ssl);
      if (r != 1) {
        err = SSL_get_error(ssl, r);
        if (err != SSL_ERROR_WANT_READ) {
          failure = describe_failure_locked(err, /*handshaking=*/true);
        }
      }
    }
    // Send our flight, or the alert that tells the peer why we gave up.
    absl::Status sent = flush_locked();
    if (!failure.ok()) return failure;
    if (!sent.ok()) return sent;
    if (r == 1) return absl::OkStatus();
    if (absl::Status st = fill(/*handshaking=*/true); !st.ok()) return st;
  }
}

absl::Status Stream::State::write_locked(const char* p, size_t len) {
  if (!write_error.ok()) return write_error;
  if (close_notify_sent) {
    return absl::FailedPreconditionError("tls: write after close_write");
  }
  while (len > 0) {
    size_t done = 0;
    absl::Status failure;
    {
      std::lock_guard<std::mutex> l(mu);
      ERR_clear_error();
      if (SSL_write_ex(ssl, p, std::min(len, kWriteChunk), &done) != 1) {
        failure = describe_failure_locked(SSL_get_error(ssl, 0), false);
      }
    }
    if (!failure.ok()) {
      write_error = failure;
      return failure;
    }
    p += done;
    len -= done;
    if (absl::Status st = flush_locked(); !st.ok()) return st;
  }
  return absl::OkStatus();
}

// Stream

Stream::Stream(std::unique_ptr<State> state) : s_(std::move(state)) {}
Stream::~Stream() = default;

absl::Status Stream::handshake() {
  State& s = *s_;
  if (s.hs_done.load(std::memory_order_acquire)) return absl::OkStatus();
  if (s.closed.load()) return closed_error();
  std::lock_guard<sync::Mutex> hl(s.hs_mu);
  if (s.hs_done.load(std::memory_order_relaxed)) return absl::OkStatus();
  if (!s.hs_error.ok()) return s.hs_error;
  std::lock_guard<sync::Mutex> rl(s.read_mu);
  std::lock_guard<sync::Mutex> wl(s.write_mu);
  absl::Status st = s.run_handshake();
  if (st.ok()) {
    s.hs_done.store(true, std::memory_order_release);
  } else {
    s.hs_error = st;
  }
  return st;
}

absl::StatusOr<size_t> Stream::read(void* buf, size_t len) {
  State& s = *s_;
  if (s.closed.load()) return closed_error();
  if (absl::Status st = handshake(); !st.ok()) return st;
  if (len == 0) return 0;
  std::lock_guard<sync::Mutex> rl(s.read_mu);
  for (;;) {
    size_t got = 0;
    int err = SSL_ERROR_NONE;
    absl::Status failure;
    bool pending = false;
    {
      std::lock_guard<std::mutex> l(s.mu);
      ERR_clear_error();
      if (SSL_read_ex(s.ssl, buf, len, &got) != 1) {
        err = SSL_get_error(s.ssl, 0);
        if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_ZERO_RETURN) {
          failure = s.describe_failure_locked(err, /*handshaking=*/false);
        }
      }
      pending = BIO_ctrl_pending(s.wbio) > 0;
    }
    if (pending) s.flush_if_free();
    if (err == SSL_ERROR_NONE) return got;
    if (err == SSL_ERROR_ZERO_RETURN) return 0;  // close_notify
    if (!failure.ok()) {
      s.read_error = failure;
      return failure;
    }
    if (absl::Status st = s.fill(/*handshaking=*/false); !st.ok()) return st;
  }
}

absl::StatusOr<size_t> Stream::write(const void* buf, size_t len) {
  const size_t n = std::min(len, kMaxWritePerCall);
  if (absl::Status st = write_all(buf, n); !st.ok()) return st;
  return n;
}

absl::Status Stream::write_all(const void* buf, size_t len) {
  return with_write_side([&](State& s) {
    return s.write_locked(static_cast<const char*>(buf), len);
  });
}

absl::Status Stream::write_vectored(absl::Span<const std::string_view> pieces) {
  return with_write_side([&](State& s) {
    constexpr size_t kSmall = 4096;
    std::string gathered;  // small pieces, sent as one record
    auto send_gathered = [&] {
      absl::Status st = s.write_locked(gathered.data(), gathered.size());
      gathered.clear();
      return st;
    };
    for (std::string_view p : pieces) {
      if (p.size() < kSmall) {
        gathered.append(p.data(), p.size());
        if (gathered.size() < kWriteChunk) continue;
      }
      if (absl::Status st = send_gathered(); !st.ok()) return st;
      if (p.size() >= kSmall) {
        if (absl::Status st = s.write_locked(p.data(), p.size()); !st.ok()) {
          return st;
        }
      }
    }
    return send_gathered();
  });
}

absl::Status Stream::with_write_side(
    absl::FunctionRef<absl::Status(State&)> body) {
  State& s = *s_;
  if (s.closed.load()) return closed_error();
  if (absl::Status st = handshake(); !st.ok()) return st;
  s.write_mu.lock();
  absl::Status st;
  {
    // On an exception (Cancelled) just release: write_error is set.
    struct Unlock {
      sync::Mutex* mu;
      ~Unlock() {
        if (mu != nullptr) mu->unlock();
      }
    } unlock{&s.write_mu};
    st = body(s);
    unlock.mu = nullptr;
  }
  s.unlock_write();
  return st;
}

absl::Status Stream::close_write() {
  State& s = *s_;
  if (s.closed.load()) return closed_error();
  if (!s.hs_done.load(std::memory_order_acquire)) {
    return absl::FailedPreconditionError(
        "tls: close_write before the handshake completed");
  }
  absl::Status st;
  {
    std::lock_guard<sync::Mutex> wl(s.write_mu);
    if (s.close_notify_sent) return absl::OkStatus();
    if (!s.write_error.ok()) return s.write_error;
    {
      std::lock_guard<std::mutex> l(s.mu);
      ERR_clear_error();
      SSL_shutdown(s.ssl);  // queues close_notify; 0 = "sent, not received"
      ERR_clear_error();
    }
    s.close_notify_sent = true;
    st = s.flush_locked();
  }
  if (s.output_pending()) s.flush_if_free();
  return st;
}

absl::Status Stream::close() {
  State& s = *s_;
  if (s.closed.exchange(true)) return closed_error();
  // As Go: close_notify unless a write is in progress (then close is what
  // breaks it), bounded in time and not interrupted by cancellation.
  if (s.hs_done.load(std::memory_order_acquire) && s.write_mu.try_lock()) {
    std::lock_guard<sync::Mutex> wl(s.write_mu, std::adopt_lock);
    if (!s.close_notify_sent && s.write_error.ok()) {
      DeferCancel defer;
      {
        std::lock_guard<std::mutex> l(s.mu);
        ERR_clear_error();
        SSL_shutdown(s.ssl);
        ERR_clear_error();
      }
      s.close_notify_sent = true;
      s.conn->set_write_deadline(time::Instant::now() + kCloseNotifyTimeout);
      (void)s.flush_locked();
    }
  }
  return s.conn->close();
}

void Stream::set_deadline(time::Instant t) { s_->conn->set_deadline(t); }
void Stream::set_read_deadline(time::Instant t) {
  s_->conn->set_read_deadline(t);
}
void Stream::set_write_deadline(time::Instant t) {
  s_->conn->set_write_deadline(t);
}
absl::StatusOr<net::SocketAddress> Stream::local_address() const {
  return s_->conn->local_address();
}
absl::StatusOr<net::SocketAddress> Stream::peer_address() const {
  return s_->conn->peer_address();
}

bool Stream::handshake_complete() const {
  return s_->hs_done.load(std::memory_order_acquire);
}
bool Stream::is_client() const { return s_->client; }

Version Stream::version() const {
  if (!handshake_complete()) return Version::kUnknown;
  std::lock_guard<std::mutex> l(s_->mu);
  switch (SSL_version(s_->ssl)) {
    case TLS1_2_VERSION:
      return Version::kTls12;
    case TLS1_3_VERSION:
      return Version::kTls13;
    default:
      return Version::kUnknown;
  }
}

std::string Stream::cipher_suite() const {
  if (!handshake_complete()) return "";
  std::lock_guard<std::mutex> l(s_->mu);
  const SSL_CIPHER* c = SSL_get_current_cipher(s_->ssl);
  const char* name = c != nullptr ? SSL_CIPHER_standard_name(c) : nullptr;
  return name != nullptr ? name : "";
}

std::string Stream::alpn_protocol() const {
  if (!handshake_complete()) return "";
  std::lock_guard<std::mutex> l(s_->mu);
  const unsigned char* p = nullptr;
  unsigned int n = 0;
  SSL_get0_alpn_selected(s_->ssl, &p, &n);
  return std::string(reinterpret_cast<const char*>(p), p != nullptr ? n : 0);
}

std::string Stream::server_name() const {
  if (s_->client) return s_->name;
  if (!handshake_complete()) return "";
  std::lock_guard<std::mutex> l(s_->mu);
  const char* n = SSL_get_servername(s_->ssl, TLSEXT_NAMETYPE_host_name);
  return n != nullptr ? n : "";
}

std::string Stream::peer_certificate_subject() const {
  if (!handshake_complete()) return "";
  std::lock_guard<std::mutex> l(s_->mu);
  X509* cert = SSL_get0_peer_certificate(s_->ssl);
  if (cert == nullptr) return "";
  BIO* out = BIO_new(BIO_s_mem());
  if (out == nullptr) return "";
  X509_NAME_print_ex(out, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long n = BIO_get_mem_data(out, &data);
  std::string subject(data, n > 0 ? static_cast<size_t>(n) : 0);
  BIO_free(out);
  return subject;
}

net::Conn& Stream::underlying() { return *s_->conn; }

// Constructors

absl::StatusOr<std::unique_ptr<Stream>> client(std::unique_ptr<net::Conn> conn,
                                               const Config& config,
                                               std::string_view server_name) {
  if (conn == nullptr || config.impl() == nullptr) {
    return absl::InvalidArgumentError(
        "tls: client needs a connection and a config");
  }
  const std::shared_ptr<internal::ConfigImpl>& impl = config.impl();
  if (absl::Status st = impl->freeze(); !st.ok()) return st;
  std::string name =
      server_name.empty() ? impl->server_name : std::string(server_name);
  if (name.empty() && !impl->insecure_skip_verify) {
    return absl::InvalidArgumentError(
        "tls: either a server name or insecure_skip_verify must be set");
  }
  auto state = std::make_unique<Stream::State>(std::move(conn), impl, true);
  SSL* ssl = state->ssl;
  const bool ip = is_ip_literal(name);
  if (!name.empty() && !ip) SSL_set_tlsext_host_name(ssl, name.c_str());
  if (impl->insecure_skip_verify) {
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
  } else {
    SSL_set_verify(ssl, SSL_VERIFY_PEER, nullptr);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param,
                                    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, name.c_str())
                      : SSL_set1_host(ssl, name.c_str());
    if (ok != 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tls: bad server name \"", name, "\": ", internal::openssl_errors()));
    }
  }
  SSL_set_connect_state(ssl);
  state->name = std::move(name);
  return std::make_unique<Stream>(std::move(state));
}

absl::StatusOr<std::unique_ptr<Stream>> server(std::unique_ptr<net::Conn> conn,
                                               const Config& config) {
  if (conn == nullptr || config.impl() == nullptr) {
    return absl::InvalidArgumentError(
        "tls: server needs a connection and a config");
  }
  const std::shared_ptr<internal::ConfigImpl>& impl = config.impl();
  if (!impl->has_certificate) {
    return absl::InvalidArgumentError("tls: server config has no certificate");
  }
  if (absl::Status st = impl->freeze(); !st.ok()) return st;
  auto state = std::make_unique<Stream::State>(std::move(conn), impl, false);
  switch (impl->client_auth) {
    case ClientAuth::kNone:
      SSL_set_verify(state->ssl, SSL_VERIFY_NONE, nullptr);
      break;
    case ClientAuth::kVerifyIfGiven:
      SSL_set_verify(state->ssl, SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuth::kRequireAndVerify:
      SSL_set_verify(state->ssl,
                     SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     nullptr);
      break;
  }
  SSL_set_accept_state(state->ssl);
  return std::make_unique<Stream>(std::move(state));
}

namespace {

// A TCP connection to "host:port" by `deadline` (none if `Instant()`).
absl::StatusOr<std::unique_ptr<net::TcpStream>> connect_tcp(
    std::string_view host_port, time::Instant deadline) {
  absl::StatusOr<net::TcpStream> tcp =
      deadline == time::Instant()
          ? net::TcpStream::connect(host_port)
          : net::TcpStream::connect_until(host_port, deadline);
  if (!tcp.ok()) return tcp.status();
  return std::make_unique<net::TcpStream>(*std::move(tcp));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Stream>> dial_until(std::string_view host_port,
                                                   const Config& config,
                                                   time::Instant deadline) {
  absl::StatusOr<std::pair<std::string, uint16_t>> hp =
      net::split_host_port(host_port);
  if (!hp.ok()) return hp.status();
  absl::StatusOr<std::unique_ptr<net::TcpStream>> conn =
      connect_tcp(host_port, deadline);
  if (!conn.ok()) return conn.status();
  (*conn)->set_deadline(deadline);
  const std::string name =
      config.impl() != nullptr && config.impl()->server_name.empty()
          ? hp->first
          : std::string();
  absl::StatusOr<std::unique_ptr<Stream>> s =
      client(*std::move(conn), config, name);
  if (!s.ok()) return s.status();
  if (absl::Status st = (*s)->handshake(); !st.ok()) return st;
  (*s)->set_deadline(time::Instant());
  return s;
}

absl::StatusOr<std::unique_ptr<Stream>> dial(std::string_view host_port,
                                             const Config& config) {
  return dial_until(host_port, config, time::Instant());
}

absl::StatusOr<std::unique_ptr<Stream>> dial(std::string_view host_port,
                                             const Config& config,
                                             time::Duration timeout) {
  return dial_until(host_port, config, time::Instant::now() + timeout);
}

absl::StatusOr<std::unique_ptr<net::Conn>> dial_conn(std::string_view host_port,
                                                     bool secure,
                                                     const Config& config,
                                                     time::Instant deadline) {
  if (secure) {
    absl::StatusOr<std::unique_ptr<Stream>> s =
        dial_until(host_port, config, deadline);
    if (!s.ok()) return s.status();
    return std::unique_ptr<net::Conn>(*std::move(s));
  }
  absl::StatusOr<std::unique_ptr<net::TcpStream>> conn =
      connect_tcp(host_port, deadline);
  if (!conn.ok()) return conn.status();
  return std::unique_ptr<net::Conn>(*std::move(conn));
}

}  // namespace mco::tls
