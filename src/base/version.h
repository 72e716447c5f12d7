/* version.h - respite's own version and the Redis version it answers as
 * (INFO's redis_version, HELLO, redis.REDIS_VERSION in scripts): clients
 * that gate features on the server's version see 7.4.0. */
#ifndef RESPITE_VERSION_H
#define RESPITE_VERSION_H

#define RESPITE_VERSION      "0.1.0"
#define REDIS_COMPAT_VERSION "7.4.0"

#endif
