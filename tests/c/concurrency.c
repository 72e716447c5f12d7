/* concurrency.c - correctness under concurrent clients (io-threads > 1):
 * exact INCR totals, one winner per SET NX race, MSET never seen half
 * done by MGET, scripts atomic across databases, no expired key ever
 * returned, maxmemory holding under
 * parallel writers. A client of its own (threads, blocking sockets, a
 * small RESP reader); every loop is bounded. Prints "N passed, N failed".
 *
 * Usage: concurrency HOST PORT [--maxmemory BYTES] */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *host;
static int port;
static int passed, failed;

struct conn {
    int fd;
    char buf[65536];
    size_t len, pos;
};

static void die(const char *msg)
{
    fprintf(stderr, "concurrency: %s: %s\n", msg, strerror(errno));
    exit(2);
}

static void conn_open(struct conn *c)
{
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, host, &sa.sin_addr);
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) die("connect");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct timeval tv = {10, 0}; /* a hung server fails the test, not CI */
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    c->len = c->pos = 0;
}

static void conn_close(struct conn *c)
{
    close(c->fd);
}

/* Appends a command (printf-free: arguments as C strings) to out. */
static size_t build(char *out, size_t cap, int argc, const char **argv)
{
    size_t n = (size_t)snprintf(out, cap, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++)
        n += (size_t)snprintf(out + n, cap - n, "$%zu\r\n%s\r\n", strlen(argv[i]), argv[i]);
    return n;
}

static void send_all(struct conn *c, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(c->fd, p, n);
        if (w <= 0) die("write");
        p += w;
        n -= (size_t)w;
    }
}

static int getbyte(struct conn *c)
{
    if (c->pos == c->len) {
        ssize_t r = read(c->fd, c->buf, sizeof(c->buf));
        if (r <= 0) die("read");
        c->len = (size_t)r;
        c->pos = 0;
    }
    return (unsigned char)c->buf[c->pos++];
}

static void readline(struct conn *c, char *line, size_t cap)
{
    size_t n = 0;
    for (;;) {
        int ch = getbyte(c);
        if (ch == '\r') {
            getbyte(c);
            break;
        }
        if (n + 1 < cap) line[n++] = (char)ch;
    }
    line[n] = '\0';
}

/* Reads one reply: type in *type ('+', '-', ':', '$', '*'); for bulk the
 * value (NUL-terminated, "" and *isnull for nil); arrays of bulks are read
 * into vals. Returns the integer for ':' replies. */
struct reply {
    char type;
    int isnull;
    long long num;
    char str[256];
    int n;
    char vals[8][64];
    int valnull[8];
};

static void read_bulk(struct conn *c, const char *hdr, char *out, size_t cap, int *isnull)
{
    long long len = atoll(hdr + 1);
    *isnull = len < 0;
    out[0] = '\0';
    if (len < 0) return;
    size_t k = 0;
    for (long long i = 0; i < len; i++) {
        int ch = getbyte(c);
        if (k + 1 < cap) out[k++] = (char)ch;
    }
    out[k] = '\0';
    getbyte(c);
    getbyte(c);
}

static void read_reply(struct conn *c, struct reply *r)
{
    char line[256];
    readline(c, line, sizeof(line));
    memset(r, 0, sizeof(*r));
    r->type = line[0];
    switch (line[0]) {
    case '+':
    case '-': snprintf(r->str, sizeof(r->str), "%s", line + 1); break;
    case ':': r->num = atoll(line + 1); break;
    case '$': read_bulk(c, line, r->str, sizeof(r->str), &r->isnull); break;
    case '*':
        r->n = atoi(line + 1);
        for (int i = 0; i < r->n; i++) {
            char h[64];
            readline(c, h, sizeof(h));
            if (i < 8)
                read_bulk(c, h, r->vals[i], sizeof(r->vals[i]), &r->valnull[i]);
            else {
                char skip[64];
                int nul;
                read_bulk(c, h, skip, sizeof(skip), &nul);
            }
        }
        break;
    default: fprintf(stderr, "concurrency: unexpected reply '%s'\n", line); exit(2);
    }
}

static void cmd(struct conn *c, struct reply *r, int argc, const char **argv)
{
    char out[1024];
    send_all(c, out, build(out, sizeof(out), argc, argv));
    read_reply(c, r);
}

static void check(int ok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf(ok ? "[ok]: " : "[err]: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    if (ok)
        passed++;
    else
        failed++;
    fflush(stdout);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void run_threads(int n, void *(*fn)(void *), void *args, size_t argsize)
{
    pthread_t *t = calloc((size_t)n, sizeof(*t));
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, fn, (char *)args + (size_t)i * argsize) != 0)
            die("pthread_create");
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    free(t);
}

/* ---- INCR: 50 clients x 10,000 increments, pipelined 100 at a time ---- */
#define INCR_CLIENTS 50
#define INCR_EACH    10000

static void *incr_worker(void *arg)
{
    (void)arg;
    struct conn *c = malloc(sizeof(*c));
    conn_open(c);
    const char *argv[] = {"INCR", "conc:counter"};
    char one[64];
    size_t n = build(one, sizeof(one), 2, argv);
    char *batch = malloc(n * 100);
    for (int i = 0; i < 100; i++) memcpy(batch + i * n, one, n);
    for (int done = 0; done < INCR_EACH; done += 100) {
        send_all(c, batch, n * 100);
        struct reply r;
        for (int i = 0; i < 100; i++) {
            read_reply(c, &r);
            if (r.type != ':') {
                fprintf(stderr, "INCR got %c%s\n", r.type, r.str);
                exit(2);
            }
        }
    }
    free(batch);
    conn_close(c);
    free(c);
    return NULL;
}

static void test_incr(void)
{
    struct conn c;
    struct reply r;
    conn_open(&c);
    const char *del[] = {"DEL", "conc:counter"};
    cmd(&c, &r, 2, del);
    run_threads(INCR_CLIENTS, incr_worker, (char[INCR_CLIENTS]){0}, 1);
    const char *get[] = {"GET", "conc:counter"};
    cmd(&c, &r, 2, get);
    check(atoll(r.str) == (long long)INCR_CLIENTS * INCR_EACH,
          "INCR - 50 clients x 10000 increments total %lld (got %s)",
          (long long)INCR_CLIENTS * INCR_EACH, r.str);
    conn_close(&c);
}

/* ---- SET NX race: 100 clients, one winner per round ---- */
#define NX_CLIENTS 100
#define NX_ROUNDS  20

struct nx_arg {
    struct conn c;
    int wins;
};
static pthread_barrier_t nx_barrier;
static int nx_round;

static void *nx_worker(void *p)
{
    struct nx_arg *a = p;
    for (int round = 0; round < NX_ROUNDS; round++) {
        char key[64];
        snprintf(key, sizeof(key), "conc:lock:%d", round);
        const char *argv[] = {"SET", key, "x", "NX", "EX", "5"};
        pthread_barrier_wait(&nx_barrier);
        struct reply r;
        cmd(&a->c, &r, 6, argv);
        if (r.type == '+') a->wins++;
    }
    return NULL;
}

static void test_set_nx(void)
{
    struct nx_arg *args = calloc(NX_CLIENTS, sizeof(*args));
    for (int i = 0; i < NX_CLIENTS; i++) conn_open(&args[i].c);
    pthread_barrier_init(&nx_barrier, NULL, NX_CLIENTS);
    nx_round = 0;
    run_threads(NX_CLIENTS, nx_worker, args, sizeof(*args));
    int wins = 0;
    for (int i = 0; i < NX_CLIENTS; i++) {
        wins += args[i].wins;
        conn_close(&args[i].c);
    }
    pthread_barrier_destroy(&nx_barrier);
    free(args);
    check(wins == NX_ROUNDS,
          "SET NX EX - 100 clients race, exactly one winner per round (%d wins in %d rounds)", wins,
          NX_ROUNDS);
}

/* ---- MSET atomicity: writers MSET two keys to the same value, readers
 * MGET them and must never see two different values ---- */
#define MSET_WRITERS 4
#define MSET_READERS 4
#define MSET_OPS     5000

static int mset_torn;

static void *mset_writer(void *p)
{
    int id = *(int *)p;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < MSET_OPS; i++) {
        char v[64];
        snprintf(v, sizeof(v), "w%d-%d", id, i);
        const char *argv[] = {"MSET", "conc:a", v, "conc:b", v, "conc:c", v};
        struct reply r;
        cmd(&c, &r, 7, argv);
    }
    conn_close(&c);
    return NULL;
}

static void *mset_reader(void *p)
{
    (void)p;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < MSET_OPS; i++) {
        const char *argv[] = {"MGET", "conc:a", "conc:b", "conc:c"};
        struct reply r;
        cmd(&c, &r, 4, argv);
        if (r.n == 3 && (strcmp(r.vals[0], r.vals[1]) != 0 || strcmp(r.vals[1], r.vals[2]) != 0))
            __atomic_add_fetch(&mset_torn, 1, __ATOMIC_RELAXED);
    }
    conn_close(&c);
    return NULL;
}

static void *mset_any(void *p)
{
    int id = *(int *)p;
    return id < MSET_WRITERS ? mset_writer(p) : mset_reader(p);
}

static void test_mset(void)
{
    int ids[MSET_WRITERS + MSET_READERS];
    for (int i = 0; i < MSET_WRITERS + MSET_READERS; i++) ids[i] = i;
    mset_torn = 0;
    run_threads(MSET_WRITERS + MSET_READERS, mset_any, ids, sizeof(ids[0]));
    check(mset_torn == 0, "MSET/MGET - readers never see half an MSET (%d torn reads)", mset_torn);
}

/* ---- MULTI/EXEC atomicity: writers increment two counters in one
 * transaction, readers MGET both and must always see them equal ---- */
#define TX_WRITERS 4
#define TX_READERS 4
#define TX_OPS     3000

static int tx_torn;

static void *tx_worker(void *p)
{
    int id = *(int *)p;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < TX_OPS; i++) {
        struct reply r;
        if (id < TX_WRITERS) {
            static const char tx[] = "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$6\r\nconc:x\r\n"
                                     "*2\r\n$4\r\nINCR\r\n$6\r\nconc:y\r\n*1\r\n$4\r\nEXEC\r\n";
            send_all(&c, tx, sizeof(tx) - 1);
            for (int k = 0; k < 3; k++) read_reply(&c, &r);
            /* EXEC's array of two integers */
            char line[64];
            readline(&c, line, sizeof(line));
            readline(&c, line, sizeof(line));
            readline(&c, line, sizeof(line));
        } else {
            const char *argv[] = {"MGET", "conc:x", "conc:y"};
            cmd(&c, &r, 3, argv);
            if (r.n == 2 && strcmp(r.vals[0], r.vals[1]) != 0)
                __atomic_add_fetch(&tx_torn, 1, __ATOMIC_RELAXED);
        }
    }
    conn_close(&c);
    return NULL;
}

static void test_multi(void)
{
    struct conn c;
    struct reply r;
    conn_open(&c);
    const char *del[] = {"DEL", "conc:x", "conc:y"};
    cmd(&c, &r, 3, del);
    int ids[TX_WRITERS + TX_READERS];
    for (int i = 0; i < TX_WRITERS + TX_READERS; i++) ids[i] = i;
    tx_torn = 0;
    run_threads(TX_WRITERS + TX_READERS, tx_worker, ids, sizeof(ids[0]));
    const char *get[] = {"GET", "conc:x"};
    cmd(&c, &r, 2, get);
    check(tx_torn == 0 && atoll(r.str) == (long long)TX_WRITERS * TX_OPS,
          "MULTI/EXEC - readers never see half a transaction (%d torn reads, total %s)", tx_torn,
          r.str);
    conn_close(&c);
}

/* ---- Scripts: writers EVAL a script that increments two keys of db 0
 * and, after SELECT, one of db 1, none of them declared; readers check
 * with MGET and with a script reading across both databases that they
 * never see a script half done. Exact totals at the end. ---- */
#define SC_WRITERS 4
#define SC_READERS 4
#define SC_OPS     2000

static int sc_torn;

static void *sc_worker(void *p)
{
    int id = *(int *)p;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < SC_OPS; i++) {
        struct reply r;
        if (id < SC_WRITERS) {
            const char *argv[] = {"EVAL",
                                  "redis.call('incr','conc:sx') redis.call('incr','conc:sy') "
                                  "redis.call('select','1') return redis.call('incr','conc:sz')",
                                  "0"};
            cmd(&c, &r, 3, argv);
        } else if (id % 2 == 0) {
            const char *argv[] = {"MGET", "conc:sx", "conc:sy"};
            cmd(&c, &r, 3, argv);
            if (r.n == 2 && strcmp(r.vals[0], r.vals[1]) != 0)
                __atomic_add_fetch(&sc_torn, 1, __ATOMIC_RELAXED);
        } else {
            const char *argv[] = {"EVAL",
                                  "local x = redis.call('get','conc:sx') redis.call('select','1') "
                                  "return {x or '', redis.call('get','conc:sz') or ''}",
                                  "0"};
            cmd(&c, &r, 3, argv);
            if (r.n == 2 && strcmp(r.vals[0], r.vals[1]) != 0)
                __atomic_add_fetch(&sc_torn, 1, __ATOMIC_RELAXED);
        }
    }
    conn_close(&c);
    return NULL;
}

static void test_script(void)
{
    struct conn c;
    struct reply r;
    conn_open(&c);
    const char *del[] = {"EVAL",
                         "redis.call('del','conc:sx','conc:sy') redis.call('select','1') "
                         "return redis.call('del','conc:sz')",
                         "0"};
    cmd(&c, &r, 3, del);
    int ids[SC_WRITERS + SC_READERS];
    for (int i = 0; i < SC_WRITERS + SC_READERS; i++) ids[i] = i;
    sc_torn = 0;
    run_threads(SC_WRITERS + SC_READERS, sc_worker, ids, sizeof(ids[0]));
    const char *get[] = {"EVAL",
                         "local x = redis.call('get','conc:sx') redis.call('select','1') "
                         "return {x, redis.call('get','conc:sz')}",
                         "0"};
    cmd(&c, &r, 3, get);
    long long want = (long long)SC_WRITERS * SC_OPS;
    check(sc_torn == 0 && r.n == 2 && atoll(r.vals[0]) == want && atoll(r.vals[1]) == want,
          "EVAL - scripts touching undeclared keys in two databases are atomic (%d torn reads, "
          "totals %s %s of %lld)",
          sc_torn, r.n == 2 ? r.vals[0] : "?", r.n == 2 ? r.vals[1] : "?", want);
    conn_close(&c);
}

/* ---- Scripts reaching undeclared keys in any order (each such key's
 * shard joins the script's locks, often below ones it holds) while other
 * clients take several shards at once (MSET, EXEC): nobody may wait on
 * anybody in a cycle. A hang fails on the 10 s socket timeout; the
 * increments must all be there. ---- */
#define ST_SCRIPTS 4
#define ST_OTHERS  4
#define ST_OPS     500
#define ST_KEYS    64

static void *st_worker(void *p)
{
    int id = *(int *)p;
    unsigned seed = (unsigned)id * 7919u + 1;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < ST_OPS; i++) {
        struct reply r;
        char k[8][24];
        const char *argv[12];
        for (int j = 0; j < 8; j++)
            snprintf(k[j], sizeof(k[j]), "%d", (int)(rand_r(&seed) % ST_KEYS));
        if (id < ST_SCRIPTS) {
            argv[0] = "EVAL";
            argv[1] = "for i = 1, #ARGV do redis.call('incr', 'conc:st' .. ARGV[i]) end return 1";
            argv[2] = "0";
            for (int j = 0; j < 8; j++) argv[3 + j] = k[j];
            cmd(&c, &r, 11, argv);
        } else if (id % 2 == 0) {
            char key[4][32];
            argv[0] = "MSET";
            for (int j = 0; j < 4; j++) {
                snprintf(key[j], sizeof(key[j]), "conc:so%.16s", k[j]);
                argv[1 + 2 * j] = key[j];
                argv[2 + 2 * j] = "x";
            }
            cmd(&c, &r, 9, argv);
        } else {
            char tx[512];
            int n = snprintf(tx, sizeof(tx), "*1\r\n$5\r\nMULTI\r\n");
            for (int j = 0; j < 3; j++)
                n += snprintf(tx + n, sizeof(tx) - (size_t)n,
                              "*2\r\n$3\r\nGET\r\n$%zu\r\nconc:st%s\r\n",
                              strlen("conc:st") + strlen(k[j]), k[j]);
            n += snprintf(tx + n, sizeof(tx) - (size_t)n, "*1\r\n$4\r\nEXEC\r\n");
            send_all(&c, tx, (size_t)n);
            for (int j = 0; j < 4; j++) read_reply(&c, &r); /* +OK, +QUEUED x3 */
            read_reply(&c, &r);                             /* EXEC's array */
        }
    }
    conn_close(&c);
    return NULL;
}

static void test_script_order(void)
{
    struct conn c;
    struct reply r;
    conn_open(&c);
    const char *del[] = {"EVAL", "for i = 0, 63 do redis.call('del', 'conc:st' .. i) end return 1",
                         "0"};
    cmd(&c, &r, 3, del);
    int ids[ST_SCRIPTS + ST_OTHERS];
    for (int i = 0; i < ST_SCRIPTS + ST_OTHERS; i++) ids[i] = i;
    long long t0 = now_ms();
    run_threads(ST_SCRIPTS + ST_OTHERS, st_worker, ids, sizeof(ids[0]));
    const char *sum[] = {"EVAL",
                         "local n = 0 for i = 0, 63 do n = n + (tonumber(redis.call('get', "
                         "'conc:st' .. i)) or 0) end return n",
                         "0"};
    cmd(&c, &r, 3, sum);
    check(r.num == (long long)ST_SCRIPTS * ST_OPS * 8,
          "EVAL - scripts taking undeclared shards in any order next to MSET and EXEC: no "
          "deadlock, %lld of %lld increments, %lld ms",
          r.num, (long long)ST_SCRIPTS * ST_OPS * 8, now_ms() - t0);
    conn_close(&c);
}

/* ---- Expiry: writers set keys that expire 5 ms later at an absolute
 * time (PXAT) and store that time as the value; readers must never get a
 * value whose expiry time had passed before they even asked ---- */
#define EXP_WRITERS 4
#define EXP_READERS 4
#define EXP_OPS     4000

static int exp_stale;

static void *exp_worker(void *p)
{
    int id = *(int *)p;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < EXP_OPS; i++) {
        char key[32];
        snprintf(key, sizeof(key), "conc:exp:%d", i % 16);
        struct reply r;
        if (id < EXP_WRITERS) {
            char deadline[32];
            snprintf(deadline, sizeof(deadline), "%lld", now_ms() + 5);
            const char *argv[] = {"SET", key, deadline, "PXAT", deadline};
            cmd(&c, &r, 5, argv);
        } else {
            long long asked = now_ms();
            const char *argv[] = {"GET", key};
            cmd(&c, &r, 2, argv);
            /* The value is the key's exact expiry time; the server's clock
             * when it ran the GET was at least `asked`. 1 ms of slack for
             * clock rounding. */
            if (!r.isnull && atoll(r.str) + 1 < asked)
                __atomic_add_fetch(&exp_stale, 1, __ATOMIC_RELAXED);
        }
    }
    conn_close(&c);
    return NULL;
}

static void test_expiry(void)
{
    int ids[EXP_WRITERS + EXP_READERS];
    for (int i = 0; i < EXP_WRITERS + EXP_READERS; i++) ids[i] = i;
    exp_stale = 0;
    run_threads(EXP_WRITERS + EXP_READERS, exp_worker, ids, sizeof(ids[0]));
    check(exp_stale == 0, "Expiry - no expired key returned under concurrent writers (%d stale)",
          exp_stale);
}

/* ---- maxmemory: parallel writers of 1 KB values; used_memory sampled
 * meanwhile must stay within the limit plus what in-flight commands may
 * hold (a write's value per connection) ---- */
#define MM_WRITERS 8
#define MM_OPS     6000

static long long mm_limit;
static int mm_done;

static long long info_used_memory(struct conn *c)
{
    const char *argv[] = {"INFO", "memory"};
    char out[64];
    send_all(c, out, build(out, sizeof(out), 2, argv));
    char line[256];
    readline(c, line, sizeof(line));
    long long len = atoll(line + 1), used = -1;
    char *text = malloc((size_t)len + 3);
    for (long long i = 0; i < len + 2; i++) text[i] = (char)getbyte(c);
    text[len] = '\0';
    char *p = strstr(text, "used_memory:");
    if (p) used = atoll(p + strlen("used_memory:"));
    free(text);
    return used;
}

static void *mm_writer(void *p)
{
    int id = *(int *)p;
    struct conn c;
    conn_open(&c);
    char value[1025];
    memset(value, 'm', 1024);
    value[1024] = '\0';
    for (int i = 0; i < MM_OPS; i++) {
        char key[64];
        snprintf(key, sizeof(key), "conc:mm:%d:%d", id, i);
        const char *argv[] = {"SET", key, value};
        char out[1200];
        send_all(&c, out, build(out, sizeof(out), 3, argv));
        struct reply r;
        read_reply(&c, &r);
    }
    conn_close(&c);
    return NULL;
}

static long long mm_peak;

static void *mm_sampler(void *p)
{
    (void)p;
    struct conn c;
    conn_open(&c);
    for (int i = 0; i < 100000 && !__atomic_load_n(&mm_done, __ATOMIC_RELAXED); i++) {
        long long used = info_used_memory(&c);
        if (used > mm_peak) mm_peak = used;
        usleep(2000);
    }
    conn_close(&c);
    return NULL;
}

static void *mm_any(void *p)
{
    int id = *(int *)p;
    return id < MM_WRITERS ? mm_writer(p) : mm_sampler(p);
}

static void test_maxmemory(void)
{
    struct conn c;
    struct reply r;
    conn_open(&c);
    const char *flush[] = {"FLUSHALL"};
    cmd(&c, &r, 1, flush);
    char lim[32];
    snprintf(lim, sizeof(lim), "%lld", mm_limit);
    const char *set[] = {"CONFIG", "SET", "maxmemory", lim};
    cmd(&c, &r, 4, set);
    const char *pol[] = {"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"};
    cmd(&c, &r, 4, pol);
    int ids[MM_WRITERS + 1];
    for (int i = 0; i <= MM_WRITERS; i++) ids[i] = i;
    mm_done = 0;
    mm_peak = 0;
    pthread_t sampler;
    pthread_create(&sampler, NULL, mm_any, &ids[MM_WRITERS]);
    run_threads(MM_WRITERS, mm_any, ids, sizeof(ids[0]));
    __atomic_store_n(&mm_done, 1, __ATOMIC_RELAXED);
    pthread_join(sampler, NULL);
    long long final = info_used_memory(&c);
    /* Each writer's connection may hold one request and one value beyond
     * the limit at the moment of a sample. */
    long long slack = MM_WRITERS * 4096;
    check(mm_peak <= mm_limit + slack && final <= mm_limit,
          "maxmemory - parallel writers stay within %lld (+%lld in flight): peak %lld, final %lld",
          mm_limit, slack, mm_peak, final);
    const char *unset[] = {"CONFIG", "SET", "maxmemory", "0"};
    cmd(&c, &r, 4, unset);
    cmd(&c, &r, 1, flush);
    conn_close(&c);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [--maxmemory BYTES]\n", argv[0]);
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    mm_limit = 8 * 1024 * 1024;
    if (argc >= 5 && strcmp(argv[3], "--maxmemory") == 0) mm_limit = atoll(argv[4]);
    test_incr();
    test_set_nx();
    test_mset();
    test_multi();
    test_script();
    test_script_order();
    test_expiry();
    test_maxmemory();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
