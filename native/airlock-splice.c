/*
 * airlock-splice: Airlock's zero-copy byte mover (Linux, splice(2) through a pipe).
 *
 *   airlock-splice bridge PORT SOCKET
 *       Inside the sandbox: listens on 127.0.0.1:PORT and joins each accepted connection to the
 *       unix socket SOCKET (the egress proxy), both directions, one forked process per connection.
 *       It connects to nothing else. EOF on one side shuts down the write side of the other; an
 *       error on either side closes the connection.
 *
 *   airlock-splice relay
 *       In the proxy's process tree: moves bytes from fd 3 (the upstream socket) to fd 4 (the
 *       client's socket) until EOF, then shuts down fd 4's write side. Reports on fd 1:
 *         "n TOTAL"            at most every REPORT_MS while bytes flow
 *         "end TOTAL HOW"      once, last; HOW is eof, stop (SIGTERM or fd 0 closed) or error:MSG
 *       TOTAL counts bytes read from fd 3. The sockets are shared with the parent (Node), so their
 *       flags are left alone: they are non-blocking, and this loop polls.
 *
 *   airlock-splice check
 *       Exits 0 when it runs here and splice(2) works on unix sockets (Airlock checks once before use).
 *
 * Bytes go socket -> pipe -> socket inside the kernel; nothing is copied through user space.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Pipe size asked for (-DPIPE_BYTES=… to try others: 64 KiB and 256 KiB measured a little slower). */
#ifndef PIPE_BYTES
#define PIPE_BYTES (1024 * 1024)
#endif
#define REPORT_MS 200

/* One direction of a connection: in -> pipe -> out. */
struct pump {
  int in, out;
  int pipe_r, pipe_w;
  size_t buffered;          /* bytes in the pipe, not yet written to out */
  unsigned long long total; /* bytes read from in */
  int eof;                  /* in said EOF */
  int done;                 /* EOF seen and everything written; out's write side shut down */
  int want;                 /* 0, POLLIN (on in) or POLLOUT (on out): what it waits for */
  int error;                /* errno of a failure, 0 if none */
};

static volatile sig_atomic_t stop_requested = 0;

static void on_term(int sig) {
  (void)sig;
  stop_requested = 1;
}

/* Reaps finished connection processes (waited for, so their CPU time counts as ours). */
static void on_child(int sig) {
  int saved = errno;
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
  errno = saved;
}

static int pump_init(struct pump *p, int in, int out) {
  int fds[2];
  memset(p, 0, sizeof *p);
  p->in = in;
  p->out = out;
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) return -1;
  p->pipe_r = fds[0];
  p->pipe_w = fds[1];
  /* A bigger pipe means fewer trips; the default (64 KiB) still works if the kernel says no. */
  (void)fcntl(p->pipe_w, F_SETPIPE_SZ, PIPE_BYTES);
  return 0;
}

static void pump_close(struct pump *p) {
  close(p->pipe_r);
  close(p->pipe_w);
}

/*
 * Moves what it can without blocking. Sets p->want to what it waits for next, p->done at the end,
 * p->error on failure. Returns the bytes read from in during this call.
 */
static unsigned long long pump_step(struct pump *p) {
  unsigned long long got = 0;
  p->want = 0;
  for (;;) {
    int progress = 0;
    if (p->buffered > 0) {
      /* No SPLICE_F_MORE: it corks TCP (MSG_MORE), which holds a small answer back for 200 ms. */
      ssize_t m = splice(p->pipe_r, NULL, p->out, NULL, p->buffered, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (m > 0) {
        p->buffered -= (size_t)m;
        progress = 1;
      } else if (m < 0 && errno != EAGAIN && errno != EINTR) {
        p->error = errno;
        return got;
      }
    }
    if (!p->eof && p->buffered == 0) {
      ssize_t n = splice(p->in, NULL, p->pipe_w, NULL, PIPE_BYTES, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        p->buffered += (size_t)n;
        p->total += (unsigned long long)n;
        got += (unsigned long long)n;
        progress = 1;
      } else if (n == 0) {
        p->eof = 1;
        progress = 1;
      } else if (errno != EAGAIN && errno != EINTR) {
        p->error = errno;
        return got;
      }
    }
    if (p->eof && p->buffered == 0) {
      if (shutdown(p->out, SHUT_WR) < 0 && errno != ENOTCONN) p->error = errno;
      p->done = 1;
      return got;
    }
    if (!progress) {
      p->want = p->buffered > 0 ? POLLOUT : POLLIN;
      return got;
    }
  }
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_nonblocking(int fd) {
  int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) (void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

/* Adds the events p waits for on its in/out fds to a two-entry poll set {a, b}. */
static void add_wants(const struct pump *p, struct pollfd *fds) {
  for (int i = 0; i < 2; i++) {
    if (p->want == POLLIN && fds[i].fd == p->in) fds[i].events |= POLLIN;
    if (p->want == POLLOUT && fds[i].fd == p->out) fds[i].events |= POLLOUT;
  }
}

/* Both directions of one bridged connection, until both are done or one fails. */
static int serve_connection(int tcp, int unix_fd) {
  struct pump up, down;
  set_nonblocking(tcp);
  set_nonblocking(unix_fd);
  if (pump_init(&up, tcp, unix_fd) < 0 || pump_init(&down, unix_fd, tcp) < 0) return 1;
  for (;;) {
    if (!up.done) pump_step(&up);
    if (!down.done) pump_step(&down);
    if (up.error || down.error) break;
    if (up.done && down.done) break;
    struct pollfd fds[2] = {{.fd = tcp}, {.fd = unix_fd}};
    if (!up.done) add_wants(&up, fds);
    if (!down.done) add_wants(&down, fds);
    /* A socket nobody waits on stays out of the set: its hang-up would wake poll in a loop. */
    for (int i = 0; i < 2; i++) if (fds[i].events == 0) fds[i].fd = -1;
    if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
  }
  pump_close(&up);
  pump_close(&down);
  return up.error || down.error ? 1 : 0;
}

static int connect_unix(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

static int listen_loopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 128) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  return fd;
}

static int run_bridge(const char *port_text, const char *socket_path) {
  char *end;
  long port = strtol(port_text, &end, 10);
  if (*port_text == '\0' || *end != '\0' || port < 1 || port > 65535) {
    fprintf(stderr, "airlock-splice: bad port \"%s\"\n", port_text);
    return 2;
  }
  int listener = listen_loopback((int)port);
  if (listener < 0) {
    fprintf(stderr, "airlock-splice: cannot listen on 127.0.0.1:%ld: %s\n", port, strerror(errno));
    return 1;
  }
  struct sigaction reap = {.sa_handler = on_child, .sa_flags = SA_RESTART | SA_NOCLDSTOP};
  sigaction(SIGCHLD, &reap, NULL);
  signal(SIGPIPE, SIG_IGN);
  for (;;) {
    int tcp = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (tcp < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) continue;
      fprintf(stderr, "airlock-splice: accept: %s\n", strerror(errno));
      return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
      signal(SIGCHLD, SIG_DFL);
      close(listener);
      int unix_fd = connect_unix(socket_path);
      if (unix_fd < 0) _exit(1);
      _exit(serve_connection(tcp, unix_fd));
    }
    close(tcp);
  }
}

/* Writes one report line to fd 1; a parent that stopped listening is not an error here. */
static void report(const char *kind, unsigned long long total, const char *how) {
  char line[160];
  int n = how ? snprintf(line, sizeof line, "%s %llu %s\n", kind, total, how)
              : snprintf(line, sizeof line, "%s %llu\n", kind, total);
  if (n > 0) (void)!write(1, line, (size_t)n);
}

static int run_relay(void) {
  struct pump p;
  struct sigaction sa = {.sa_handler = on_term};
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  /* The parent's death also closes fd 0, which the loop watches; this covers a blocked splice. */
  (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (pump_init(&p, 3, 4) < 0) {
    report("end", 0, "error:pipe");
    return 1;
  }
  long long last = now_ms();
  unsigned long long reported = 0;
  while (!p.done && !p.error && !stop_requested) {
    pump_step(&p);
    if (p.done || p.error) break;
    long long t = now_ms();
    if (p.total != reported && t - last >= REPORT_MS) {
      report("n", p.total, NULL);
      reported = p.total;
      last = t;
    }
    /* fd 0 is a pipe from the parent: readable or hung up means "stop". */
    struct pollfd fds[2] = {{.fd = p.want == POLLOUT ? p.out : p.in, .events = (short)p.want}, {.fd = 0, .events = POLLIN}};
    if (poll(fds, 2, REPORT_MS) < 0 && errno != EINTR) {
      p.error = errno;
      break;
    }
    if (fds[1].revents) stop_requested = 1;
  }
  char how[120];
  if (p.error) snprintf(how, sizeof how, "error:%s", strerror(p.error));
  else snprintf(how, sizeof how, "%s", p.done ? "eof" : "stop");
  for (char *c = how; *c; c++) if (*c == ' ') *c = '_';
  report("end", p.total, how);
  pump_close(&p);
  return p.error ? 1 : 0;
}

/* Splices one byte unix socket -> pipe -> unix socket: exit 0 when this kernel and build can. */
static int run_check(void) {
  int pair[2], fds[2];
  char c = 'x';
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0 || pipe(fds) < 0) return 1;
  if (write(pair[0], &c, 1) != 1) return 1;
  if (splice(pair[1], NULL, fds[1], NULL, 1, 0) != 1) return 1;
  if (splice(fds[0], NULL, pair[1], NULL, 1, 0) != 1) return 1;
  c = 0;
  return read(pair[0], &c, 1) == 1 && c == 'x' ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "bridge") == 0) return run_bridge(argv[2], argv[3]);
  if (argc == 2 && strcmp(argv[1], "relay") == 0) return run_relay();
  if (argc == 2 && strcmp(argv[1], "check") == 0) return run_check();
  fprintf(stderr, "usage: airlock-splice bridge PORT SOCKET | airlock-splice relay | airlock-splice check\n");
  return 2;
}
