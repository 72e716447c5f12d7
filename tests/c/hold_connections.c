/* hold_connections.c - opens N TCP connections to a server and keeps
 * them until a line arrives on stdin (or 60 s pass): idle, for the 10,000
 * idle connections check in tests/cli/idle.sh, or each blocked in
 * BLPOP PREFIX<i % 100> 0, for the 10,000 blocked clients check in
 * tests/cli/blocked.sh. Prints "opened N"; with PREFIX, after the line on
 * stdin, also "served M": the connections that got a reply. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT N [BLPOP-KEY-PREFIX]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) return 2;
    int n = atoi(argv[3]), opened = 0;
    const char *prefix = argc == 5 ? argv[4] : NULL;
    int *fds = calloc((size_t)n, sizeof(int));
    for (; opened < n; opened++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
            perror("connect");
            if (fd >= 0) close(fd);
            break;
        }
        if (prefix) {
            char key[256], req[512];
            int klen = snprintf(key, sizeof(key), "%s%d", prefix, opened % 100);
            int len = snprintf(req, sizeof(req), "*3\r\n$5\r\nBLPOP\r\n$%d\r\n%s\r\n$1\r\n0\r\n",
                               klen, key);
            if (write(fd, req, (size_t)len) != len) {
                perror("write");
                close(fd);
                break;
            }
        }
        fds[opened] = fd;
    }
    printf("opened %d\n", opened);
    fflush(stdout);
    struct pollfd in = {0, POLLIN, 0};
    poll(&in, 1, 60000);
    if (prefix) {
        /* Every blocked connection that was served has its reply waiting. */
        int served = 0;
        for (int i = 0; i < opened; i++) {
            struct pollfd p = {fds[i], POLLIN, 0};
            if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) served++;
        }
        printf("served %d\n", served);
        fflush(stdout);
    }
    for (int i = 0; i < opened; i++) close(fds[i]);
    free(fds);
    return 0;
}
