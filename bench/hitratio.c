/* hitratio.c - hit ratio of a paced cache-aside workload (Zipf GET, SET on miss) on any server. */
/* getaddrinfo, clock_nanosleep and MSG_NOSIGNAL, also without -D_GNU_SOURCE. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BATCH_MAX      16            /* GETs a batch; the SETs of the last one ride along */
#define IO_TIMEOUT_S   10            /* a server silent this long ends the run */
#define KEY_MAX        48            /* "key:" or "scan:" and a 64-bit number */
#define REPLY_DEPTH    8             /* nesting of arrays the parser accepts */
#define REPLY_LINE_MAX (1024 * 1024) /* a longer line without CRLF is not RESP */
#define VALUE_SIZE_MAX (64u * 1024 * 1024)

struct opts {
    const char *host;
    const char *port;
    uint64_t keys;
    double alpha;
    uint64_t requests;
    double rate; /* GETs per second, 0 = as fast as the server answers */
    size_t value_size;
    double warmup;
    uint64_t seed;
    uint64_t scan_every;
    uint64_t scan_len;
    double max_seconds;
    int batch;
};

struct counts {
    uint64_t hits, misses; /* Zipf GETs after the warm-up */
    uint64_t gets, scan_gets;
    uint64_t sets, set_oom, set_errors;
    uint64_t get_errors, wrong_values;
    double lag_max;   /* seconds the client was at most behind its schedule */
    double batch_max; /* seconds of the slowest round trip, write to last reply */
};

/* ------------------------------------------------------------------------
 * Random numbers: splitmix64, chosen because it is a few lines, passes
 * BigCrush, and gives the same sequence on every machine for a seed. */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* A uniform double in (0, 1]: 53 random bits, never 0. */
static double rng_unit(void)
{
    return (double)((rng_next() >> 11) + 1) * (1.0 / 9007199254740992.0);
}

/* ------------------------------------------------------------------------
 * Zipf sampling by inversion of a precomputed CDF.
 *
 * Rank k (1..n) has probability k^-alpha / H(n, alpha). The table holds the
 * running sums, normalised so the last one is exactly 1.0, and a sample is
 * the first rank whose sum reaches a uniform u in (0, 1]: a binary search,
 * about 21 steps for two million keys. Cost: 8 bytes a key (16 MB for two
 * million) and n calls of pow() once at start, about 50 ms for two million.
 * Summing from the largest term keeps the rounding error far below the
 * smallest probability that matters here. alpha 0 is the uniform case. */

struct zipf {
    double *cdf;
    uint64_t n;
};

static int zipf_create(struct zipf *z, uint64_t n, double alpha)
{
    z->n = n;
    z->cdf = malloc(n * sizeof(double));
    if (z->cdf == NULL) return -1;
    double sum = 0;
    for (uint64_t k = 1; k <= n; k++) {
        sum += pow((double)k, -alpha);
        z->cdf[k - 1] = sum;
    }
    for (uint64_t i = 0; i < n; i++) z->cdf[i] /= sum;
    z->cdf[n - 1] = 1.0;
    return 0;
}

static void zipf_destroy(struct zipf *z)
{
    free(z->cdf);
    z->cdf = NULL;
}

/* A rank from 0 (the most popular key) to n - 1. */
static uint64_t zipf_sample(const struct zipf *z, double u)
{
    uint64_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] >= u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ------------------------------------------------------------------------
 * RESP replies, parsed in the picohttpparser way: stateless over (buf, len),
 * never allocating. reply_parse returns the bytes one whole reply takes,
 * 0 if the buffer holds only part of it, -1 if it is not RESP. Arrays are
 * walked (their elements are checked, not kept) up to REPLY_DEPTH deep, so
 * an unexpected reply cannot desynchronise the stream. */

enum reply_type { REPLY_STATUS, REPLY_ERROR, REPLY_INT, REPLY_BULK, REPLY_NULL, REPLY_ARRAY };

struct reply {
    enum reply_type type;
    const char *str; /* status or error text, or bulk data; not NUL-ended */
    size_t len;
};

/* The line starting at buf, without its CRLF: its length, or -1 if no CRLF. */
static long reply__line(const char *buf, size_t len)
{
    const char *cr = memchr(buf, '\r', len);
    if (cr == NULL || (size_t)(cr - buf) + 1 >= len) return -1;
    return cr - buf;
}

/* A signed decimal of a length line; -2 if it is not one. */
static long long reply__number(const char *s, size_t len)
{
    long long v = 0;
    int neg = 0;
    size_t i = 0;
    if (len > 0 && s[0] == '-') neg = 1, i = 1;
    if (i == len || len - i > 18) return -2;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return -2;
        v = v * 10 + (s[i] - '0');
    }
    return neg ? -v : v;
}

static long reply__parse(const char *buf, size_t len, struct reply *r, int depth)
{
    if (len < 1) return 0;
    long line = reply__line(buf + 1, len - 1);
    if (line < 0) return len > REPLY_LINE_MAX ? -1 : 0;
    if (buf[2 + line] != '\n') return -1;
    size_t head = (size_t)line + 3; /* type byte, line, CRLF */
    r->str = buf + 1;
    r->len = (size_t)line;
    switch (buf[0]) {
    case '+': r->type = REPLY_STATUS; return (long)head;
    case '-': r->type = REPLY_ERROR; return (long)head;
    case ':': r->type = REPLY_INT; return (long)head;
    case '_': r->type = REPLY_NULL; return (long)head; /* RESP3 null */
    case '$': {
        long long n = reply__number(buf + 1, (size_t)line);
        if (n == -1) {
            r->type = REPLY_NULL;
            return (long)head;
        }
        if (n < 0 || n > (long long)VALUE_SIZE_MAX * 2) return -1;
        if (len < head + (size_t)n + 2) return 0;
        if (buf[head + n] != '\r' || buf[head + n + 1] != '\n') return -1;
        r->type = REPLY_BULK;
        r->str = buf + head;
        r->len = (size_t)n;
        return (long)(head + (size_t)n + 2);
    }
    case '*': {
        long long n = reply__number(buf + 1, (size_t)line);
        if (n == -1) {
            r->type = REPLY_NULL;
            return (long)head;
        }
        if (n < 0 || depth >= REPLY_DEPTH) return -1;
        size_t off = head;
        for (long long i = 0; i < n; i++) {
            struct reply el;
            long used = reply__parse(buf + off, len - off, &el, depth + 1);
            if (used <= 0) return used;
            off += (size_t)used;
        }
        r->type = REPLY_ARRAY;
        r->len = (size_t)n;
        return (long)off;
    }
    default: return -1;
    }
}

static long reply_parse(const char *buf, size_t len, struct reply *r)
{
    return reply__parse(buf, len, r, 0);
}

/* ------------------------------------------------------------------------
 * One blocking connection with a read buffer and a write buffer. Requests
 * are appended to the write buffer and sent together; replies are parsed
 * in place, so a reply's data is valid until the next conn_read_reply. The
 * send and receive timeouts bound every wait. */

struct conn {
    int fd;
    char *rbuf, *wbuf;
    size_t rpos, rlen, rcap;
    size_t wlen, wcap;
};

static void die(const char *what)
{
    fprintf(stderr, "hitratio: %s\n", what);
    exit(1);
}

static void conn_connect(struct conn *c, const char *host, const char *port)
{
    struct addrinfo hints = {0}, *res, *ai;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "hitratio: %s:%s: %s\n", host, port, gai_strerror(rc));
        exit(1);
    }
    c->fd = -1;
    for (ai = res; ai != NULL && c->fd < 0; ai = ai->ai_next) {
        c->fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (c->fd < 0) continue;
        if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(c->fd);
            c->fd = -1;
        }
    }
    freeaddrinfo(res);
    if (c->fd < 0) {
        fprintf(stderr, "hitratio: cannot connect to %s:%s: %s\n", host, port, strerror(errno));
        exit(1);
    }
    int one = 1;
    struct timeval tv = {IO_TIMEOUT_S, 0};
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    c->rcap = 64 * 1024;
    c->wcap = 64 * 1024;
    c->rbuf = malloc(c->rcap);
    c->wbuf = malloc(c->wcap);
    if (c->rbuf == NULL || c->wbuf == NULL) die("out of memory");
    c->rpos = c->rlen = c->wlen = 0;
}

static void conn_destroy(struct conn *c)
{
    if (c->fd >= 0) close(c->fd);
    free(c->rbuf);
    free(c->wbuf);
}

static void conn_append(struct conn *c, const void *p, size_t n)
{
    if (c->wlen + n > c->wcap) {
        while (c->wlen + n > c->wcap) c->wcap *= 2;
        c->wbuf = realloc(c->wbuf, c->wcap);
        if (c->wbuf == NULL) die("out of memory");
    }
    memcpy(c->wbuf + c->wlen, p, n);
    c->wlen += n;
}

/* Appends one bulk string argument: $len CRLF data CRLF. */
static void conn_append_bulk(struct conn *c, const char *p, size_t n)
{
    char head[32];
    int h = snprintf(head, sizeof(head), "$%zu\r\n", n);
    conn_append(c, head, (size_t)h);
    conn_append(c, p, n);
    conn_append(c, "\r\n", 2);
}

static void conn_flush(struct conn *c)
{
    size_t off = 0;
    while (off < c->wlen) {
        ssize_t n = send(c->fd, c->wbuf + off, c->wlen - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            die("send timed out: the server stopped reading");
        if (n <= 0) {
            fprintf(stderr, "hitratio: send: %s\n", strerror(errno));
            exit(1);
        }
        off += (size_t)n;
    }
    c->wlen = 0;
}

static void conn_read_reply(struct conn *c, struct reply *r)
{
    for (;;) {
        long used = reply_parse(c->rbuf + c->rpos, c->rlen - c->rpos, r);
        if (used < 0) die("protocol error in a reply");
        if (used > 0) {
            c->rpos += (size_t)used;
            return;
        }
        /* Incomplete: make room at the end, then read more. */
        if (c->rpos > 0) {
            memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
            c->rlen -= c->rpos;
            c->rpos = 0;
        }
        if (c->rlen == c->rcap) {
            c->rcap *= 2;
            c->rbuf = realloc(c->rbuf, c->rcap);
            if (c->rbuf == NULL) die("out of memory");
        }
        ssize_t n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) die("no reply within 10 s");
        if (n == 0) die("the server closed the connection");
        if (n < 0) {
            fprintf(stderr, "hitratio: recv: %s\n", strerror(errno));
            exit(1);
        }
        c->rlen += (size_t)n;
    }
}

/* ------------------------------------------------------------------------
 * Options. */

static void usage(FILE *f)
{
    fprintf(f, "usage: hitratio [--host H] [--port P] [--keys N] [--alpha A] [--requests R]\n"
               "                [--rate RPS] [--value-size B] [--warmup FRACTION] [--seed S]\n"
               "                [--scan-every K --scan-len L] [--batch N] [--max-seconds T]\n"
               "\n"
               "Cache-aside: GET a key drawn from Zipf(alpha) over N keys, SET it on a miss.\n"
               "R GETs (scan GETs come on top), paced at RPS GETs a second (0: unpaced),\n"
               "at most --batch (16) in flight. The first FRACTION of the R GETs is not\n"
               "counted. Every K GETs, L GETs (+SET) of keys never used again.\n"
               "Defaults: 127.0.0.1 6379, N 2000000, A 0.99, R 1000000, RPS 20000, B 100,\n"
               "warm-up 0.2, seed 1, no scans, max 600 s.\n"
               "Prints one line: hits= misses= hit_ratio= requests= ... complete=1|0.\n");
}

static uint64_t parse_u64(const char *name, const char *s, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || v < min || v > max) {
        fprintf(stderr, "hitratio: --%s wants an integer from %llu to %llu, got '%s'\n", name,
                (unsigned long long)min, (unsigned long long)max, s);
        exit(2);
    }
    return v;
}

static double parse_double(const char *name, const char *s, double min, double max)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || !(v >= min && v <= max)) {
        fprintf(stderr, "hitratio: --%s wants a number from %g to %g, got '%s'\n", name, min, max,
                s);
        exit(2);
    }
    return v;
}

static void opts_parse(struct opts *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"host", required_argument, NULL, 'h'},
        {"port", required_argument, NULL, 'p'},
        {"keys", required_argument, NULL, 'n'},
        {"alpha", required_argument, NULL, 'a'},
        {"requests", required_argument, NULL, 'r'},
        {"rate", required_argument, NULL, 'R'},
        {"value-size", required_argument, NULL, 'd'},
        {"warmup", required_argument, NULL, 'w'},
        {"seed", required_argument, NULL, 's'},
        {"scan-every", required_argument, NULL, 'k'},
        {"scan-len", required_argument, NULL, 'l'},
        {"max-seconds", required_argument, NULL, 't'},
        {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct opts){
        .host = "127.0.0.1",
        .port = "6379",
        .keys = 2000000,
        .alpha = 0.99,
        .requests = 1000000,
        .rate = 20000,
        .value_size = 100,
        .warmup = 0.2,
        .seed = 1,
        .max_seconds = 600,
        .batch = BATCH_MAX,
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'h': o->host = optarg; break;
        case 'p': o->port = optarg; break;
        case 'n': o->keys = parse_u64("keys", optarg, 1, 1ULL << 30); break;
        case 'a': o->alpha = parse_double("alpha", optarg, 0, 10); break;
        case 'r': o->requests = parse_u64("requests", optarg, 1, 1ULL << 40); break;
        case 'R': o->rate = parse_double("rate", optarg, 0, 1e8); break;
        case 'd': o->value_size = parse_u64("value-size", optarg, 1, VALUE_SIZE_MAX); break;
        case 'w': o->warmup = parse_double("warmup", optarg, 0, 0.99); break;
        case 's': o->seed = parse_u64("seed", optarg, 0, UINT64_MAX); break;
        case 'k': o->scan_every = parse_u64("scan-every", optarg, 1, 1ULL << 40); break;
        case 'l': o->scan_len = parse_u64("scan-len", optarg, 1, 1ULL << 40); break;
        case 't': o->max_seconds = parse_double("max-seconds", optarg, 0.001, 86400); break;
        case 'b': o->batch = (int)parse_u64("batch", optarg, 1, BATCH_MAX); break;
        case 'H': usage(stdout); exit(0);
        default: usage(stderr); exit(2);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "hitratio: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        exit(2);
    }
    if ((o->scan_every == 0) != (o->scan_len == 0)) {
        fprintf(stderr, "hitratio: --scan-every and --scan-len go together\n");
        exit(2);
    }
}

/* ------------------------------------------------------------------------
 * The workload. */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_until(double t)
{
    struct timespec ts;
    ts.tv_sec = (time_t)t;
    ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

/* A value names its key, so a hit can be checked: the key's bytes, then 'v'
 * up to the value size (cut short if the key is longer). */
static void value_fill(char *v, size_t size, const char *key, size_t klen)
{
    memset(v, 'v', size);
    memcpy(v, key, klen < size ? klen : size);
}

struct item {
    char key[KEY_MAX];
    size_t klen;
    int scan;    /* a one-shot scan key */
    int counted; /* a Zipf GET after the warm-up */
};

/* The main loop: batches of GETs, and SETs for the misses.
 *
 * Pacing is a schedule, not a sleep per request: GET number g (scan GETs
 * included) is due at start + g / rate. Each batch takes every GET already
 * due, up to --batch, and if none is due the loop sleeps until the next one
 * is (clock_nanosleep, absolute, so sleeps never add up to drift). A client
 * that falls behind (a slow reply, a preempted core) catches up with fuller
 * batches, so the long-run rate stays fixed while the server keeps up;
 * "rate=" in the output is the achieved one, to check that it did.
 *
 * One round trip a batch: the SETs for the previous batch's misses go out
 * in the same write as the next batch's GETs, ahead of them. One connection
 * keeps the order, so a GET always sees the SETs of every earlier miss,
 * just as if each SET had been sent on its own. If no GET is due, pending
 * SETs go out alone before the sleep, so none waits on the schedule.
 *
 * Order of the stream: every --scan-every Zipf GETs, --scan-len scan keys
 * are queued and go out before the next Zipf GET. Everything is decided by
 * the seed alone, never by timing, so two servers see the same GETs. Their
 * SETs differ, since those depend on what each server kept.
 *
 * Bounds: the R Zipf GETs plus their scans, or --max-seconds, whichever
 * comes first; every socket wait is bounded by IO_TIMEOUT_S. */
static int run(const struct opts *o, struct conn *c, const struct zipf *z, struct counts *n,
               double *elapsed)
{
    struct item batch[BATCH_MAX], sets[BATCH_MAX];
    char *value = malloc(o->value_size);
    if (value == NULL) die("out of memory");
    uint64_t warm = (uint64_t)((double)o->requests * o->warmup);
    uint64_t zipf_sent = 0, scan_next = 0, scan_queued = 0;
    int pending = 0; /* entries of sets[] not sent yet */
    int complete = 1;
    double start = now_s(), deadline = start + o->max_seconds;

    while (zipf_sent < o->requests || scan_queued > 0 || pending > 0) {
        double t = now_s();
        if (t >= deadline) {
            complete = 0;
            break;
        }
        uint64_t room = (uint64_t)o->batch;
        if (zipf_sent == o->requests && scan_queued == 0) room = 0;
        if (o->rate > 0 && room > 0) {
            uint64_t due = (uint64_t)((t - start) * o->rate) + 1;
            if (due <= n->gets) {
                if (pending == 0) {
                    sleep_until(start + (double)n->gets / o->rate);
                    continue;
                }
                room = 0;
            } else {
                if (due - n->gets < room) room = due - n->gets;
                double lag = t - (start + (double)n->gets / o->rate);
                if (lag > n->lag_max) n->lag_max = lag;
            }
        }

        for (int i = 0; i < pending; i++) {
            struct item *it = &sets[i];
            value_fill(value, o->value_size, it->key, it->klen);
            conn_append(c, "*3\r\n$3\r\nSET\r\n", 13);
            conn_append_bulk(c, it->key, it->klen);
            conn_append_bulk(c, value, o->value_size);
        }
        int len = 0;
        while ((uint64_t)len < room && (zipf_sent < o->requests || scan_queued > 0)) {
            struct item *it = &batch[len++];
            if (scan_queued > 0) {
                it->klen = (size_t)snprintf(it->key, KEY_MAX, "scan:%llu",
                                            (unsigned long long)scan_next++);
                it->scan = 1;
                it->counted = 0;
                scan_queued--;
            } else {
                uint64_t rank = zipf_sample(z, rng_unit());
                it->klen = (size_t)snprintf(it->key, KEY_MAX, "key:%llu", (unsigned long long)rank);
                it->scan = 0;
                it->counted = zipf_sent >= warm;
                zipf_sent++;
                if (o->scan_every && zipf_sent % o->scan_every == 0) scan_queued = o->scan_len;
            }
            conn_append(c, "*2\r\n$3\r\nGET\r\n", 13);
            conn_append_bulk(c, it->key, it->klen);
        }
        conn_flush(c);
        n->gets += (uint64_t)len;

        for (int i = 0; i < pending; i++) {
            struct reply r;
            conn_read_reply(c, &r);
            if (r.type == REPLY_STATUS)
                n->sets++;
            else if (r.type == REPLY_ERROR && r.len >= 3 && memcmp(r.str, "OOM", 3) == 0)
                n->set_oom++;
            else
                n->set_errors++;
        }
        pending = 0;
        for (int i = 0; i < len; i++) {
            struct item *it = &batch[i];
            struct reply r;
            conn_read_reply(c, &r);
            if (it->scan) n->scan_gets++;
            if (r.type == REPLY_BULK) {
                value_fill(value, o->value_size, it->key, it->klen);
                if (r.len != o->value_size || memcmp(r.str, value, r.len) != 0) n->wrong_values++;
                if (it->counted) n->hits++;
            } else if (r.type == REPLY_NULL) {
                sets[pending++] = *it;
                if (it->counted) n->misses++;
            } else {
                n->get_errors++;
            }
        }
        double took = now_s() - t;
        if (took > n->batch_max) n->batch_max = took;
    }
    *elapsed = now_s() - start;
    free(value);
    return complete;
}

int main(int argc, char **argv)
{
    struct opts o;
    opts_parse(&o, argc, argv);
    rng_state = o.seed;

    struct zipf z;
    if (zipf_create(&z, o.keys, o.alpha) != 0) die("out of memory for the Zipf table");
    struct conn c;
    conn_connect(&c, o.host, o.port);

    struct counts n = {0};
    double elapsed = 0;
    int complete = run(&o, &c, &z, &n, &elapsed);

    uint64_t looked = n.hits + n.misses;
    printf(
        "hits=%llu misses=%llu hit_ratio=%.4f requests=%llu counted=%llu scan_gets=%llu "
        "sets=%llu set_oom=%llu set_errors=%llu get_errors=%llu wrong_values=%llu "
        "seconds=%.2f rate=%.0f lag_max_ms=%.1f batch_max_ms=%.1f complete=%d\n",
        (unsigned long long)n.hits, (unsigned long long)n.misses,
        looked ? (double)n.hits / (double)looked : 0.0, (unsigned long long)(n.gets - n.scan_gets),
        (unsigned long long)looked, (unsigned long long)n.scan_gets, (unsigned long long)n.sets,
        (unsigned long long)n.set_oom, (unsigned long long)n.set_errors,
        (unsigned long long)n.get_errors, (unsigned long long)n.wrong_values, elapsed,
        elapsed > 0 ? (double)n.gets / elapsed : 0.0, n.lag_max * 1e3, n.batch_max * 1e3, complete);
    fflush(stdout);
    conn_destroy(&c);
    zipf_destroy(&z);
    return complete ? 0 : 3;
}
