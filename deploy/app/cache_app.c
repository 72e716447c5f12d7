/* cache_app.c - the application side of deploy/pod.yaml: a stand-in for a
 * service doing cache-aside through its respite sidecar, over TCP
 * (127.0.0.1:6379) and over the unix socket the pod shares
 * (/run/respite/respite.sock). Statically linked with hiredis so its
 * image is FROM scratch too (make app-image).
 *
 * It waits up to 30 s for the sidecar, then: 100 lookups over TCP (all
 * miss, "load" the value, SET it with a TTL), the same 100 again (all
 * hit), the same 100 over the socket (all hit, and CLIENT INFO says the
 * connection is a unix one), and prints one line per step and "app: ok"
 * (or "app: FAIL ..."), which tests/cli/image.sh reads from the pod's
 * logs. Then it waits for SIGTERM, as a service would.
 *
 * Usage: cache_app [HOST PORT SOCKET] */
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static redisContext *connect_to(const char *host, int port, const char *path)
{
    struct timeval tv = {2, 0};
    for (int i = 0; i < 300; i++) {
        redisContext *c =
            path ? redisConnectUnixWithTimeout(path, tv) : redisConnectWithTimeout(host, port, tv);
        if (c && !c->err) {
            redisReply *r = redisCommand(c, "PING");
            int up = r && r->type == REDIS_REPLY_STATUS && !strcmp(r->str, "PONG");
            if (r) freeReplyObject(r);
            if (up) return c;
        }
        if (c) redisFree(c);
        usleep(100 * 1000);
    }
    return NULL;
}

/* GET each key; on a miss "load" it and SET it for 60 s. Counts both. */
static void lookups(redisContext *c, int *hits, int *misses)
{
    *hits = *misses = 0;
    for (int i = 0; i < 100; i++) {
        redisReply *r = redisCommand(c, "GET product:%d", i);
        if (r && r->type == REDIS_REPLY_STRING) {
            (*hits)++;
        } else {
            (*misses)++;
            redisReply *s = redisCommand(c, "SET product:%d {\"id\":%d} EX 60", i, i);
            if (s) freeReplyObject(s);
        }
        if (r) freeReplyObject(r);
    }
}

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    const char *host = argc > 3 ? argv[1] : "127.0.0.1";
    int port = argc > 3 ? atoi(argv[2]) : 6379;
    const char *path = argc > 3 ? argv[3] : "/run/respite/respite.sock";
    signal(SIGTERM, on_term);
    setvbuf(stdout, NULL, _IOLBF, 0);
    int ok = 1, hits, misses;
    redisContext *tcp = connect_to(host, port, NULL);
    if (!tcp) {
        printf("app: FAIL no server at %s:%d\n", host, port);
        ok = 0;
    } else {
        redisReply *r = redisCommand(tcp, "DEL %s", "product:0"); /* a clean start for key 0 */
        if (r) freeReplyObject(r);
        lookups(tcp, &hits, &misses);
        printf("tcp first pass: %d hits %d misses\n", hits, misses);
        lookups(tcp, &hits, &misses);
        printf("tcp second pass: %d hits %d misses\n", hits, misses);
        ok &= hits == 100;
    }
    redisContext *unix_c = connect_to(NULL, 0, path);
    if (!unix_c) {
        printf("app: FAIL no server at %s\n", path);
        ok = 0;
    } else {
        lookups(unix_c, &hits, &misses);
        printf("unix pass: %d hits %d misses\n", hits, misses);
        redisReply *r = redisCommand(unix_c, "CLIENT INFO");
        int is_unix = r && r->type == REDIS_REPLY_STRING && strstr(r->str, " flags=U ");
        printf("unix client flags U: %s\n", is_unix ? "yes" : "no");
        if (r) freeReplyObject(r);
        ok &= hits == 100 && is_unix;
    }
    printf(ok ? "app: ok\n" : "app: FAIL\n");
    while (!stop) pause();
    if (tcp) redisFree(tcp);
    if (unix_c) redisFree(unix_c);
    return ok ? 0 : 1;
}
