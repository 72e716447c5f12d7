/* hold_connections.c - opens N idle TCP connections to a server and keeps
 * them until a line arrives on stdin (or 60 s pass), for the 10,000 idle
 * connections check in tests/cli/idle.sh. Prints "opened N". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s HOST PORT N\n", argv[0]);
        return 2;
    }
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) return 2;
    int n = atoi(argv[3]), opened = 0;
    int *fds = calloc((size_t)n, sizeof(int));
    for (; opened < n; opened++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
            perror("connect");
            if (fd >= 0) close(fd);
            break;
        }
        fds[opened] = fd;
    }
    printf("opened %d\n", opened);
    fflush(stdout);
    struct pollfd in = {0, POLLIN, 0};
    poll(&in, 1, 60000);
    for (int i = 0; i < opened; i++) close(fds[i]);
    free(fds);
    return 0;
}
