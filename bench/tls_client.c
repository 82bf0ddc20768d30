// TLS handshake load for bench/run.py: check-update polls, each on a new TLS
// connection (Connection: close), as a polling device makes them. With
// --resume every connection offers the session of the one before it on the
// same slot (a session ticket, or the session id when the server sent no
// ticket); without it every handshake is a full one.
//
// wrk cannot do this: it keeps one SSL object per connection slot and
// reconnects with SSL_shutdown + SSL_clear, which keeps the session, so its
// reconnects resume and it has no option to make them full (bench/README.md).
//
// The requests are wrk's check_update.lua ones: every request a different
// device (the same Park-Miller walk per thread), a quarter of them on
// 1.1.0. It prints one JSON line with the fields of lua/common.lua's, plus
// how many handshakes were full and how many resumed (SSL_session_reused),
// and what the first handshake negotiated. Latency counts from connect() to
// the answer's last byte: the handshake is what is measured.
//
// cc -O2 -o tls_client tls_client.c -lssl -lcrypto -lpthread
// tls_client --port N [--connections 32] [--threads 2] [--duration 5]
//            [--devices 10000] [--resume] [--tls-max 1.2|1.3] [--timeout 10]

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum state { CONNECTING, HANDSHAKE, WRITING, READING };

struct worker;

struct conn {
  struct worker* worker;
  int fd;
  SSL* ssl;
  enum state state;
  uint32_t events;       // what epoll waits for on fd
  SSL_SESSION* session;  // the previous connection's, offered with --resume
  int reused;
  uint64_t started_us;
  char request[256];
  int request_len, written;
  char head[8192];  // the answer's head, until its end is seen
  size_t head_len;
  int head_done, status;
  long long body_left;  // -1: no Content-Length, the answer ends at close
};

struct worker {
  pthread_t thread;
  int id, epfd, nconns;
  struct conn* conns;
  uint64_t walk;
  uint64_t requests, bytes, full, resumed;
  uint64_t errors_connect, errors_read, errors_write, errors_status, errors_timeout;
  uint32_t* latencies;
  size_t nlatencies, latencies_cap;
  char protocol[32], cipher[64], group[32];
};

static struct {
  struct sockaddr_in addr;
  int port, connections, threads, duration, devices, resume, timeout;
  SSL_CTX* ctx;
  uint64_t stop_us;
} cfg = {.connections = 32, .threads = 2, .duration = 5, .devices = 10000, .timeout = 10};

static uint64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

// lua/common.lua's walker: the same device sequence as wrk's threads.
static int next_device(struct worker* w) {
  w->walk = (w->walk * 48271u) % 2147483647u;
  return (int)(w->walk % (uint64_t)cfg.devices);
}

static void watch(struct conn* c, uint32_t events) {
  if (c->events == events) return;
  struct epoll_event ev = {.events = events, .data.ptr = c};
  epoll_ctl(c->worker->epfd, c->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c->fd, &ev);
  c->events = events;
}

static void close_conn(struct conn* c) {
  if (c->ssl) {
    SSL_shutdown(c->ssl);  // sends close_notify; the answer is complete, no need to wait for the peer's
    ERR_clear_error();     // the peer may have closed first
    SSL_free(c->ssl);
    c->ssl = NULL;
  }
  if (c->fd >= 0) close(c->fd);  // also drops it from epoll
  c->fd = -1;
  c->events = 0;
}

static void start_conn(struct conn* c);

static void fail(struct conn* c, uint64_t* counter) {
  (*counter)++;
  if (c->state <= HANDSHAKE && c->session) {
    SSL_SESSION_free(c->session);  // a refused session is not offered again
    c->session = NULL;
  }
  close_conn(c);
  start_conn(c);
}

static void start_conn(struct conn* c) {
  struct worker* w = c->worker;
  int i = next_device(w);
  c->request_len = snprintf(c->request, sizeof c->request,
                            "GET /api/check-update?device_id=bench-%d&version=%s&device_secret=bench-secret-%d-0000 "
                            "HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
                            i, i % 4 == 0 ? "1.1.0" : "1.0.0", i, cfg.port);
  c->written = 0;
  c->head_len = 0;
  c->head_done = 0;
  c->status = 0;
  c->body_left = -1;
  c->started_us = now_us();
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->ssl = SSL_new(cfg.ctx);
  SSL_set_fd(c->ssl, c->fd);
  SSL_set_connect_state(c->ssl);
  if (cfg.resume && c->session) SSL_set_session(c->ssl, c->session);
  c->state = CONNECTING;
  if (connect(c->fd, (struct sockaddr*)&cfg.addr, sizeof cfg.addr) != 0 && errno != EINPROGRESS) {
    w->errors_connect++;
    close_conn(c);
    return;  // retried by the sweep
  }
  watch(c, EPOLLOUT);
}

// Waits for what OpenSSL asked for; 0 when the call failed for good.
static int wait_for_io(struct conn* c, int result) {
  switch (SSL_get_error(c->ssl, result)) {
    case SSL_ERROR_WANT_READ: watch(c, EPOLLIN); return 1;
    case SSL_ERROR_WANT_WRITE: watch(c, EPOLLOUT); return 1;
    default: ERR_clear_error(); return 0;
  }
}

static void note_negotiated(struct worker* w, SSL* ssl) {
  if (w->protocol[0]) return;
  snprintf(w->protocol, sizeof w->protocol, "%s", SSL_get_version(ssl));
  snprintf(w->cipher, sizeof w->cipher, "%s", SSL_get_cipher_name(ssl));
  const char* group = SSL_group_to_name(ssl, SSL_get_negotiated_group(ssl));
  snprintf(w->group, sizeof w->group, "%s", group ? group : "?");
}

static void answered(struct conn* c) {
  struct worker* w = c->worker;
  uint64_t latency = now_us() - c->started_us;
  if (w->nlatencies == w->latencies_cap) {
    w->latencies_cap = w->latencies_cap ? 2 * w->latencies_cap : 65536;
    w->latencies = realloc(w->latencies, w->latencies_cap * sizeof *w->latencies);
  }
  w->latencies[w->nlatencies++] = latency > UINT32_MAX ? UINT32_MAX : (uint32_t)latency;
  w->requests++;
  if (c->reused) w->resumed++; else w->full++;
  if (c->status > 399 || c->status < 100) w->errors_status++;
  if (cfg.resume) {
    // Taken after the whole answer was read, so a TLS 1.3 ticket sent after
    // the handshake is in it.
    SSL_SESSION_free(c->session);
    c->session = SSL_get1_session(c->ssl);
  }
  close_conn(c);
  start_conn(c);
}

// Takes in `n` bytes of the answer; 1 when the answer is complete.
static int take(struct conn* c, const char* data, size_t n) {
  c->worker->bytes += n;
  if (!c->head_done) {
    size_t room = sizeof c->head - 1 - c->head_len, copied = n < room ? n : room;
    memcpy(c->head + c->head_len, data, copied);
    c->head_len += copied;
    c->head[c->head_len] = '\0';
    char* end = strstr(c->head, "\r\n\r\n");
    if (!end) return 0;
    c->head_done = 1;
    if (strncmp(c->head, "HTTP/1.", 7) == 0 && c->head_len > 12) c->status = atoi(c->head + 9);
    for (char* line = strstr(c->head, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
      if (strncasecmp(line + 2, "Content-Length:", 15) == 0) c->body_left = atoll(line + 17);
    }
    size_t body = c->head_len - (size_t)(end + 4 - c->head);  // body bytes among those copied
    if (c->body_left >= 0) c->body_left -= (long long)(body + (n - copied));
  } else if (c->body_left >= 0) {
    c->body_left -= (long long)n;
  }
  return c->body_left == 0;
}

static void advance(struct conn* c) {
  struct worker* w = c->worker;
  for (;;) {
    switch (c->state) {
      case CONNECTING: {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) {
          fail(c, &w->errors_connect);
          return;
        }
        c->state = HANDSHAKE;
        break;
      }
      case HANDSHAKE: {
        int r = SSL_do_handshake(c->ssl);
        if (r != 1) {
          if (!wait_for_io(c, r)) fail(c, &w->errors_connect);
          return;
        }
        c->reused = SSL_session_reused(c->ssl);
        note_negotiated(w, c->ssl);
        c->state = WRITING;
        break;
      }
      case WRITING: {
        int r = SSL_write(c->ssl, c->request + c->written, c->request_len - c->written);
        if (r <= 0) {
          if (!wait_for_io(c, r)) fail(c, &w->errors_write);
          return;
        }
        c->written += r;
        if (c->written == c->request_len) c->state = READING;
        break;
      }
      case READING: {
        char buf[16384];
        int r = SSL_read(c->ssl, buf, sizeof buf);
        if (r <= 0) {
          int closed = SSL_get_error(c->ssl, r) == SSL_ERROR_ZERO_RETURN;
          if (closed && c->head_done && c->body_left < 0) {
            answered(c);  // an answer without Content-Length ends at the close
          } else if (closed || !wait_for_io(c, r)) {
            fail(c, &w->errors_read);
          }
          return;
        }
        if (take(c, buf, (size_t)r)) {
          answered(c);
          return;
        }
        break;
      }
    }
  }
}

static void* run_worker(void* arg) {
  struct worker* w = arg;
  w->walk = 12345u + (uint64_t)w->id * 7919u;
  w->epfd = epoll_create1(EPOLL_CLOEXEC);
  for (int i = 0; i < w->nconns; i++) {
    w->conns[i] = (struct conn){.worker = w, .fd = -1};
    start_conn(&w->conns[i]);
  }
  struct epoll_event events[256];
  uint64_t next_sweep = now_us() + 100000;
  for (uint64_t now = now_us(); now < cfg.stop_us; now = now_us()) {
    int n = epoll_wait(w->epfd, events, 256, 100);
    for (int i = 0; i < n; i++) advance(events[i].data.ptr);
    if (now_us() < next_sweep) continue;
    next_sweep = now_us() + 100000;
    for (int i = 0; i < w->nconns; i++) {
      struct conn* c = &w->conns[i];
      if (c->fd < 0) {
        start_conn(c);
      } else if (now_us() - c->started_us > (uint64_t)cfg.timeout * 1000000u) {
        fail(c, &w->errors_timeout);
      }
    }
  }
  for (int i = 0; i < w->nconns; i++) {
    close_conn(&w->conns[i]);
    SSL_SESSION_free(w->conns[i].session);
  }
  close(w->epfd);
  return NULL;
}

static int by_value(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return x < y ? -1 : x > y;
}

static void usage(void) {
  fprintf(stderr,
          "usage: tls_client --port N [--connections 32] [--threads 2] [--duration 5] [--devices 10000] "
          "[--resume] [--tls-max 1.2|1.3] [--timeout 10]\n");
  exit(2);
}

int main(int argc, char** argv) {
  static const struct option options[] = {
      {"port", required_argument, NULL, 'p'},     {"connections", required_argument, NULL, 'c'},
      {"threads", required_argument, NULL, 't'},  {"duration", required_argument, NULL, 'd'},
      {"devices", required_argument, NULL, 'n'},  {"resume", no_argument, NULL, 'r'},
      {"tls-max", required_argument, NULL, 'v'},  {"timeout", required_argument, NULL, 'T'},
      {NULL, 0, NULL, 0}};
  int max_version = TLS1_3_VERSION, opt;
  while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
    switch (opt) {
      case 'p': cfg.port = atoi(optarg); break;
      case 'c': cfg.connections = atoi(optarg); break;
      case 't': cfg.threads = atoi(optarg); break;
      case 'd': cfg.duration = atoi(optarg); break;
      case 'n': cfg.devices = atoi(optarg); break;
      case 'r': cfg.resume = 1; break;
      case 'v':
        if (strcmp(optarg, "1.2") == 0) max_version = TLS1_2_VERSION;
        else if (strcmp(optarg, "1.3") != 0) usage();
        break;
      case 'T': cfg.timeout = atoi(optarg); break;
      default: usage();
    }
  }
  if (cfg.port <= 0 || cfg.threads <= 0 || cfg.connections < cfg.threads || cfg.duration <= 0 || cfg.devices <= 0) {
    usage();
  }
  signal(SIGPIPE, SIG_IGN);
  cfg.addr.sin_family = AF_INET;
  cfg.addr.sin_port = htons((uint16_t)cfg.port);
  cfg.addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

  // As wrk's: no certificate verification (the client's cost, not the
  // server's; run.py checks the chain separately), OpenSSL's default offer.
  cfg.ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(cfg.ctx, SSL_VERIFY_NONE, NULL);
  SSL_CTX_set_max_proto_version(cfg.ctx, max_version);

  struct worker* workers = calloc((size_t)cfg.threads, sizeof *workers);
  uint64_t started = now_us();
  cfg.stop_us = started + (uint64_t)cfg.duration * 1000000u;
  for (int i = 0; i < cfg.threads; i++) {
    workers[i].id = i;
    workers[i].nconns = cfg.connections / cfg.threads + (i < cfg.connections % cfg.threads);
    workers[i].conns = calloc((size_t)workers[i].nconns, sizeof(struct conn));
    pthread_create(&workers[i].thread, NULL, run_worker, &workers[i]);
  }
  struct worker all = {0};
  size_t total = 0;
  for (int i = 0; i < cfg.threads; i++) {
    pthread_join(workers[i].thread, NULL);
    total += workers[i].nlatencies;
  }
  uint64_t duration = now_us() - started;
  uint32_t* latencies = malloc((total ? total : 1) * sizeof *latencies);
  for (int i = 0; i < cfg.threads; i++) {
    struct worker* w = &workers[i];
    memcpy(latencies + all.nlatencies, w->latencies, w->nlatencies * sizeof *latencies);
    all.nlatencies += w->nlatencies;
    all.requests += w->requests;
    all.bytes += w->bytes;
    all.full += w->full;
    all.resumed += w->resumed;
    all.errors_connect += w->errors_connect;
    all.errors_read += w->errors_read;
    all.errors_write += w->errors_write;
    all.errors_status += w->errors_status;
    all.errors_timeout += w->errors_timeout;
    if (!all.protocol[0] && w->protocol[0]) {
      memcpy(all.protocol, w->protocol, sizeof all.protocol);
      memcpy(all.cipher, w->cipher, sizeof all.cipher);
      memcpy(all.group, w->group, sizeof all.group);
    }
  }
  qsort(latencies, total, sizeof *latencies, by_value);
#define PERCENTILE(q) (total ? latencies[(size_t)((double)(total - 1) * (q))] : 0)
  printf("{\"requests\":%llu,\"duration_us\":%llu,\"bytes\":%llu,\"p50_us\":%u,\"p99_us\":%u,\"max_us\":%u,"
         "\"errors_connect\":%llu,\"errors_read\":%llu,\"errors_write\":%llu,\"errors_status\":%llu,"
         "\"errors_timeout\":%llu,\"handshakes_full\":%llu,\"handshakes_resumed\":%llu,"
         "\"protocol\":\"%s\",\"cipher\":\"%s\",\"group\":\"%s\"}\n",
         (unsigned long long)all.requests, (unsigned long long)duration, (unsigned long long)all.bytes,
         PERCENTILE(0.5), PERCENTILE(0.99), PERCENTILE(1.0), (unsigned long long)all.errors_connect,
         (unsigned long long)all.errors_read, (unsigned long long)all.errors_write,
         (unsigned long long)all.errors_status, (unsigned long long)all.errors_timeout,
         (unsigned long long)all.full, (unsigned long long)all.resumed, all.protocol, all.cipher, all.group);
  return 0;
}
