// respite against the stock Node.js clients: node-redis (`redis`) and ioredis.
//
// Usage: node test.mjs --host H --port P --auth-port P2 --password PW [--only SUBSTRING]
//
// --port is a server without a password; --auth-port one with requirepass PW
// (only the AUTH scenarios use it). Prints "ok: NAME", "FAIL: NAME: why" or
// "skip: NAME: why" per scenario and "N passed, N failed, N skipped" last;
// exits 1 if anything failed. Every scenario has a 15 s limit and closes its
// connections whatever happens, so a server that stops answering turns into
// FAIL lines, never a hang. Talks to 127.0.0.1 only.

import { createRequire } from 'node:module';
import { inspect, isDeepStrictEqual } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { createClient, createClientPool, defineScript, ErrorReply, RESP_TYPES, WatchError } from 'redis';
import Redis from 'ioredis';

const require = createRequire(import.meta.url);
const NODE_REDIS_VERSION = require('@redis/client/package.json').version;
const IOREDIS_VERSION = require('ioredis/package.json').version;

const SCENARIO_MS = 15000;
const CONNECT_MS = 5000;

const opts = { host: '127.0.0.1', port: 0, authPort: 0, password: '', only: '' };
for (let i = 2; i < process.argv.length; i += 2) {
  const [k, v] = [process.argv[i], process.argv[i + 1]];
  if (k === '--host') opts.host = v;
  else if (k === '--port') opts.port = Number(v);
  else if (k === '--auth-port') opts.authPort = Number(v);
  else if (k === '--password') opts.password = v;
  else if (k === '--only') opts.only = v;
  else {
    console.error(`unknown option ${k} (use --host H --port P --auth-port P2 --password PW)`);
    process.exit(2);
  }
}
if (!opts.port || !opts.authPort || !opts.password) {
  console.error('need --port, --auth-port and --password');
  process.exit(2);
}

// ---------------------------------------------------------------------------
// A tiny runner: scenarios run one after another, each with a time limit.

class Skip extends Error {}

const scenarios = [];
function scenario(name, fn) {
  scenarios.push({ name, fn });
}

function fmt(v) {
  return inspect(v, { depth: 4, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 80 });
}

function eq(what, expected, got) {
  if (!isDeepStrictEqual(expected, got)) {
    throw new Error(`${what}: expected ${fmt(expected)}, got ${fmt(got)}`);
  }
}

function ok(what, cond) {
  if (!cond) throw new Error(what);
}

// rejects(WHAT, PROMISE, PATTERN): PROMISE must reject with a message matching PATTERN.
async function rejects(what, promise, pattern) {
  let err = null;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  if (!err) throw new Error(`${what}: did not fail`);
  if (!pattern.test(String(err.message))) {
    throw new Error(`${what}: expected an error matching ${pattern}, got ${fmt(err.message)}`);
  }
  return err;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// An unbounded queue whose next() waits at most MS for an item.
class Inbox {
  constructor() {
    this.items = [];
    this.waiters = [];
  }
  push(x) {
    const w = this.waiters.shift();
    if (w) w(x);
    else this.items.push(x);
  }
  next(ms = 5000) {
    if (this.items.length) return Promise.resolve(this.items.shift());
    return new Promise((resolve, reject) => {
      const take = (x) => {
        clearTimeout(timer);
        resolve(x);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(take), 1);
        reject(new Error(`no message within ${ms} ms`));
      }, ms);
      this.waiters.push(take);
    });
  }
}

// The connections one scenario opened; all closed when it ends.
class Ctx {
  constructor() {
    this.closers = [];
  }

  // A connected node-redis client. EXTRA goes to createClient; EXTRA.port
  // picks the server.
  async nr(extra = {}) {
    const { port = opts.port, ...rest } = extra;
    const c = createClient({
      socket: { host: opts.host, port, connectTimeout: CONNECT_MS, reconnectStrategy: false },
      ...rest,
    });
    c.on('error', () => {}); // errors surface through the command promises
    this.closers.push(() => c.destroy());
    await c.connect();
    return c;
  }

  // A node-redis pool (createClientPool), or null if this version has none.
  async nrPool(poolOptions, extra = {}) {
    const pool = createClientPool(
      { socket: { host: opts.host, port: opts.port, connectTimeout: CONNECT_MS, reconnectStrategy: false }, ...extra },
      poolOptions,
    );
    pool.on('error', () => {});
    this.closers.push(() => pool.destroy());
    await pool.connect();
    return pool;
  }

  // A ready ioredis client: connect() resolves once the ready check (INFO,
  // loading:0) has passed. No reconnects, no retries, 5 s per command.
  async io(extra = {}) {
    const c = new Redis({
      host: opts.host,
      port: opts.port,
      lazyConnect: true,
      connectTimeout: CONNECT_MS,
      commandTimeout: 5000,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      ...extra,
    });
    c.on('error', () => {});
    this.closers.push(() => c.disconnect());
    await c.connect();
    return c;
  }

  close() {
    for (const close of this.closers.reverse()) {
      try {
        const p = close();
        if (p && p.catch) p.catch(() => {});
      } catch {
        // already closed
      }
    }
  }
}

async function runScenario(s) {
  const ctx = new Ctx();
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${SCENARIO_MS} ms`)), SCENARIO_MS);
  });
  try {
    await Promise.race([s.fn(ctx), limit]);
  } finally {
    clearTimeout(timer);
    ctx.close();
  }
}

// ---------------------------------------------------------------------------
// Shared scenario bodies. Each client gets a small adapter so the same steps
// run on node-redis and ioredis.

function cacheAside(get, setPx) {
  return async (key, load, ttlMs) => {
    const v = await get(key);
    if (v !== null) return [v, true];
    const fresh = load();
    await setPx(key, fresh, ttlMs);
    return [fresh, false];
  };
}

async function waitGone(get, key, ms) {
  const deadline = Date.now() + ms;
  while ((await get(key)) !== null && Date.now() < deadline) await sleep(20);
  return get(key);
}

const sha1 = (text) => createHash('sha1').update(text).digest('hex');

// A fixed-window rate limiter: KEYS[1] counts the calls of this window,
// ARGV[1] is the limit, ARGV[2] the window in seconds. Returns 1 (allowed)
// or 0 (denied).
const RATE_LIMIT_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return 0
end
return 1
`;

// Compare-and-delete: KEYS[1] is deleted only if it still holds ARGV[1].
const UNLOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const NESTED_LUA = "return {1, 'two', {3, {'four', {}}}, redis.status_reply('OK')}";
const NESTED_REPLY = [1, 'two', [3, ['four', []]], 'OK'];
const KEYS_ARGV_LUA = 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}';
const FAILING_LUA = "return redis.call('INCR', KEYS[1])";
// What Redis 7 answers when redis.call raises: the error, then the script's sha and line.
const FAILING_ERROR = `ERR value is not an integer or out of range script: ${sha1(FAILING_LUA)}, on @user_script:1.`;
const NOSCRIPT_ERROR = 'NOSCRIPT No matching script. Please use EVAL.';

// The lock steps of the Lua-release scenarios, for any client: acquire with
// SET NX PX, release with the compare-and-delete script, then 4 connections
// x 25 GET+SET critical sections must not lose an update. L adapts the
// library: connect(), tryAcquire(cl, ttlMs) -> token or null,
// release(cl, token) -> number of keys deleted, get(cl, key), set(cl, key, v).
async function luaLockSteps(L, lockKey, counterKey) {
  const c = await L.connect();
  await L.set(c, lockKey, 'stale');
  eq('release of a foreign token', 0, await L.release(c, 'not-mine'));
  eq('foreign token kept', 'stale', await L.get(c, lockKey));
  eq('release of the holder token', 1, await L.release(c, 'stale'));
  const token = await L.tryAcquire(c, 5000);
  ok('acquired', token !== null);
  eq('second acquire fails', null, await L.tryAcquire(c, 5000));
  eq('release', 1, await L.release(c, token));
  eq('gone', null, await L.get(c, lockKey));
  eq('release again', 0, await L.release(c, token));
  await L.set(c, counterKey, '0');
  const clients = await Promise.all([...Array(4)].map(() => L.connect()));
  await Promise.all(clients.map(async (cl) => {
    for (let i = 0; i < 25; i++) {
      const deadline = Date.now() + 10000;
      let t;
      while (!(t = await L.tryAcquire(cl, 5000))) {
        if (Date.now() > deadline) throw new Error('lock not acquired within 10 s');
        await sleep(2);
      }
      const v = Number(await L.get(cl, counterKey));
      await L.set(cl, counterKey, String(v + 1));
      if ((await L.release(cl, t)) !== 1) throw new Error('release failed');
    }
  }));
  eq('counter', '100', await L.get(c, counterKey));
  eq('lock free at the end', null, await L.get(c, lockKey));
}

// ===========================================================================
// node-redis

const NR = `node-redis ${NODE_REDIS_VERSION}`;

for (const resp of [2, 3]) {
  const tag = `${NR} RESP${resp}`;
  const cfg = resp === 3 ? { RESP: 3 } : {};

  scenario(`${tag} commands - strings, counters, expiry and key commands`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:`;
    eq('PING', 'PONG', await c.ping());
    eq('SET', 'OK', await c.set(`${k}s`, 'hello'));
    eq('GET', 'hello', await c.get(`${k}s`));
    eq('GET missing', null, await c.get(`${k}missing`));
    eq('APPEND', 11, await c.append(`${k}s`, ' world'));
    eq('GETRANGE', 'world', await c.getRange(`${k}s`, 6, -1));
    eq('SET NX on existing', null, await c.set(`${k}s`, 'x', { NX: true }));
    eq('SET GET', 'hello world', await c.set(`${k}s`, 'new', { GET: true }));
    eq('INCR', 1, await c.incr(`${k}n`));
    eq('INCRBY', 11, await c.incrBy(`${k}n`, 10));
    eq('INCRBYFLOAT', '11.5', await c.incrByFloat(`${k}n`, 0.5));
    eq('MSET', 'OK', await c.mSet({ [`${k}a`]: '1', [`${k}b`]: '2' }));
    eq('MGET', ['1', '2', null], await c.mGet([`${k}a`, `${k}b`, `${k}nope`]));
    eq('EXISTS', 2, await c.exists([`${k}a`, `${k}b`, `${k}nope`]));
    eq('EXPIRE', 1, await c.expire(`${k}a`, 100));
    const ttl = await c.ttl(`${k}a`);
    ok(`TTL in (0, 100], got ${ttl}`, ttl > 0 && ttl <= 100);
    eq('TYPE', 'string', await c.type(`${k}a`));
    eq('RENAME', 'OK', await c.rename(`${k}a`, `${k}a2`));
    eq('DEL', 2, await c.del([`${k}a2`, `${k}b`, `${k}nope`]));
    await rejects('INCR on a non-integer', c.incr(`${k}s`), /^ERR value is not an integer or out of range$/);
    eq('still usable after an error', 'PONG', await c.ping());
  });

  scenario(`${tag} commands - binary values with NUL and CRLF round-trip`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const bc = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const value = Buffer.concat([Buffer.from('a\0b\r\nc\xff', 'latin1'), randomBytes(100000), Buffer.from('\r\n')]);
    const key = Buffer.from(`nr${resp}:bin\0\r\n`);
    eq('SET', 'OK', await c.set(key, value));
    const got = await bc.get(key);
    ok(`GET returned ${got && got.length} bytes, want ${value.length} equal ones`, Buffer.isBuffer(got) && got.equals(value));
    eq('STRLEN', value.length, await c.strLen(key));
  });

  scenario(`${tag} pipelining - 1000 commands in one tick, execAsPipeline`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:p:`;
    const sets = [];
    for (let i = 0; i < 500; i++) sets.push(c.set(`${k}${i}`, String(i)));
    const gets = [];
    for (let i = 0; i < 500; i++) gets.push(c.get(`${k}${i}`));
    eq('SET replies', Array(500).fill('OK'), await Promise.all(sets));
    eq('GET replies', [...Array(500).keys()].map(String), await Promise.all(gets));
    const res = await c.multi().set(`${k}x`, '1').incr(`${k}x`).get(`${k}x`).execAsPipeline();
    eq('execAsPipeline', ['OK', 2, '2'], res);
  });

  scenario(`${tag} multi() - MULTI/EXEC results, an error inside EXEC`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:t:`;
    await c.del(`${k}n`);
    eq('EXEC', [1, 2, 'OK', 'v'], await c.multi().incr(`${k}n`).incr(`${k}n`).set(`${k}s`, 'v').get(`${k}s`).exec());
    // A runtime error fails only its command; node-redis reports it as a
    // MultiErrorReply carrying all the replies.
    const err = await rejects('EXEC with a failing INCR', c.multi().set(`${k}s`, 'abc').incr(`${k}s`).get(`${k}s`).exec(),
      /commands failed|not an integer/);
    if (err.replies) {
      eq('replies[0]', 'OK', err.replies[0]);
      ok(`replies[1] is the INCR error: ${fmt(err.replies[1])}`,
        err.replies[1] instanceof Error && /^ERR value is not an integer/.test(err.replies[1].message));
      eq('replies[2]', 'abc', err.replies[2]);
    }
    eq('value', 'abc', await c.get(`${k}s`));
  });

  scenario(`${tag} WATCH - optimistic increment retried while another connection interferes`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const other = await ctx.nr(cfg);
    const k = `nr${resp}:w`;
    await c.set(k, '0');
    let attempts = 0;
    for (;;) {
      attempts++;
      await c.watch(k);
      const cur = Number(await c.get(k));
      if (attempts <= 2) await other.incrBy(k, 100);
      try {
        await c.multi().set(k, String(cur + 1)).exec();
        break;
      } catch (e) {
        if (!(e instanceof WatchError) || attempts > 10) throw e;
      }
    }
    eq('attempts', 3, attempts);
    eq('value', '201', await c.get(k));
    await c.watch(k);
    await c.unwatch();
    await other.set(k, 'changed');
    eq('EXEC after UNWATCH', ['OK'], await c.multi().set(k, 'mine').exec());
  });

  scenario(`${tag} scanIterator - 1000 keys, each seen once`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:scan:`;
    await Promise.all([...Array(1000).keys()].map((i) => c.set(`${k}${i}`, String(i))));
    const seen = new Set();
    for await (const batch of c.scanIterator({ MATCH: `${k}*`, COUNT: 100 })) {
      for (const key of Array.isArray(batch) ? batch : [batch]) seen.add(key);
    }
    eq('distinct keys', 1000, seen.size);
    ok('every key', [...Array(1000).keys()].every((i) => seen.has(`${k}${i}`)));
    eq('DEL', 1000, await c.del([...seen]));
  });

  scenario(`${tag} cache-aside - miss, set with TTL, hit, expiry observed`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:cache:`;
    let loads = 0;
    const load = () => {
      loads++;
      return 'alice';
    };
    const get = cacheAside((key) => c.get(key), (key, v, px) => c.set(key, v, { PX: px }));
    eq('first read', ['alice', false], await get(`${k}user`, load, 60000));
    eq('second read', ['alice', true], await get(`${k}user`, load, 60000));
    const pttl = await c.pTTL(`${k}user`);
    ok(`PTTL in (0, 60000], got ${pttl}`, pttl > 0 && pttl <= 60000);
    eq('SET EX', 'OK', await c.set(`${k}ex`, 'v', { EX: 100 }));
    await get(`${k}short`, load, 100);
    eq('hit before expiry', 'alice', await c.get(`${k}short`));
    eq('expired after PX 100', null, await waitGone((key) => c.get(key), `${k}short`, 3000));
    eq('miss reloads', ['alice', false], await get(`${k}short`, load, 100));
    eq('loads', 3, loads);
  });

  scenario(`${tag} createClientPool - 8 workers x 500 INCR through 4 connections, exact total`, async (ctx) => {
    const pool = await ctx.nrPool({ minimum: 1, maximum: 4, acquireTimeout: 5000 }, cfg);
    const k = `nr${resp}:pool:n`;
    await pool.del(k);
    const worker = async () => {
      for (let i = 0; i < 500; i++) await pool.incr(k);
    };
    await Promise.all([...Array(8)].map(worker));
    eq('total', '4000', await pool.get(k));
    // A dedicated connection from the pool for a WATCH transaction.
    const res = await pool.execute(async (client) => {
      await client.watch(k);
      return client.multi().incr(k).exec();
    });
    eq('transaction on a pooled connection', [4001], res);
    ok(`pool size ${pool.totalClients}`, pool.totalClients >= 1 && pool.totalClients <= 4);
  });

  scenario(`${tag} lock - SET NX PX acquire, WATCH/MULTI compare-and-delete release`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:lock`;
    const lock = {
      tryAcquire: async (cl, ttl) => {
        const token = randomBytes(8).toString('hex');
        return (await cl.set(k, token, { NX: true, PX: ttl })) === 'OK' ? token : null;
      },
      acquire: async (cl, ttl, waitMs) => {
        const deadline = Date.now() + waitMs;
        for (;;) {
          const t = await lock.tryAcquire(cl, ttl);
          if (t || Date.now() >= deadline) return t;
          await sleep(5);
        }
      },
      // Compare-and-delete without Lua (respite has no EVAL yet).
      release: async (cl, token) => {
        for (let i = 0; i < 10; i++) {
          await cl.watch(k);
          if ((await cl.get(k)) !== token) {
            await cl.unwatch();
            return false;
          }
          try {
            const r = await cl.multi().del(k).exec();
            return r[0] === 1;
          } catch (e) {
            if (!(e instanceof WatchError)) throw e;
          }
        }
        return false;
      },
    };
    await c.del(k);
    const token = await lock.tryAcquire(c, 5000);
    ok('acquired', token !== null);
    eq('second acquire fails', null, await lock.tryAcquire(c, 5000));
    eq('release with a wrong token', false, await lock.release(c, 'not-mine'));
    eq('still held', token, await c.get(k));
    eq('release', true, await lock.release(c, token));
    eq('gone', null, await c.get(k));
    ok('acquire with PX 100', (await lock.tryAcquire(c, 100)) !== null);
    ok('re-acquired after expiry', (await lock.acquire(c, 5000, 3000)) !== null);
    await c.del(k);
    // Mutual exclusion: 4 connections x 25 GET+SET critical sections.
    const counter = `nr${resp}:lock:counter`;
    await c.set(counter, '0');
    const clients = await Promise.all([...Array(4)].map(() => ctx.nr(cfg)));
    await Promise.all(clients.map(async (cl) => {
      for (let i = 0; i < 25; i++) {
        const t = await lock.acquire(cl, 5000, 10000);
        if (!t) throw new Error('lock not acquired within 10 s');
        const v = Number(await cl.get(counter));
        await cl.set(counter, String(v + 1));
        if (!(await lock.release(cl, t))) throw new Error('release failed');
      }
    }));
    eq('counter', '100', await c.get(counter));
  });

  scenario(`${tag} lock - SET NX PX acquire, Lua compare-and-delete release (defineScript)`, async (ctx) => {
    const k = `nr${resp}:llock`;
    const scripts = {
      unlock: defineScript({
        SCRIPT: UNLOCK_LUA,
        NUMBER_OF_KEYS: 1,
        parseCommand(parser, key, token) {
          parser.pushKey(key);
          parser.push(token);
        },
      }),
    };
    await luaLockSteps({
      connect: () => ctx.nr({ ...cfg, scripts }),
      tryAcquire: async (cl, ttl) => {
        const token = randomBytes(8).toString('hex');
        return (await cl.set(k, token, { NX: true, PX: ttl })) === 'OK' ? token : null;
      },
      release: (cl, token) => cl.unlock(k, token),
      get: (cl, key) => cl.get(key),
      set: (cl, key, v) => cl.set(key, v),
    }, k, `${k}:counter`);
  });

  scenario(`${tag} scripts - scriptLoad + evalSha, eval with keys and arguments, NOSCRIPT ErrorReply`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:rate:`;
    await c.del([`${k}a`, `${k}s`]);
    const sha = await c.scriptLoad(RATE_LIMIT_LUA);
    eq('SCRIPT LOAD returns the sha1', sha1(RATE_LIMIT_LUA), sha);
    eq('SCRIPT EXISTS', [1, 0], await c.scriptExists([sha, '0'.repeat(40)]));
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await c.evalSha(sha, { keys: [`${k}a`], arguments: ['3', '60'] }));
    eq('6 calls, limit 3', [1, 1, 1, 0, 0, 0], got);
    const ttl = await c.ttl(`${k}a`);
    ok(`window TTL in (0, 60], got ${ttl}`, ttl > 0 && ttl <= 60);
    eq('eval with keys and arguments', [`${k}x`, `${k}y`, 'a1', 'a2', 2, 2],
      await c.eval(KEYS_ARGV_LUA, { keys: [`${k}x`, `${k}y`], arguments: ['a1', 'a2'] }));
    eq('eval without options', NESTED_REPLY, await c.eval(NESTED_LUA));
    eq('true, false, 3.99', [1, null, 3], await Promise.all(['true', 'false', '3.99'].map((v) => c.eval(`return ${v}`))));
    eq('SCRIPT FLUSH', 'OK', await c.scriptFlush());
    const err = await rejects('evalSha after SCRIPT FLUSH', c.evalSha(sha, { keys: [`${k}a`], arguments: ['3', '60'] }),
      /^NOSCRIPT No matching script\. Please use EVAL\.$/);
    ok(`NOSCRIPT is an ErrorReply: ${err.constructor.name}`, err instanceof ErrorReply);
    eq('NOSCRIPT text', NOSCRIPT_ERROR, err.message);
    const custom = await rejects('redis.error_reply', c.eval("return redis.error_reply('MYERR custom failure')"),
      /^MYERR custom failure$/);
    ok('error_reply is an ErrorReply', custom instanceof ErrorReply);
    await c.set(`${k}s`, 'abc');
    const failed = await rejects('redis.call error', c.eval(FAILING_LUA, { keys: [`${k}s`] }), /^ERR value is not an integer/);
    eq('redis.call error text', FAILING_ERROR, failed.message);
    eq('still usable after errors', 'abc', await c.get(`${k}s`));
  });

  scenario(`${tag} defineScript - createClient({scripts}), EVALSHA falling back to EVAL, in multi()`, async (ctx) => {
    const scripts = {
      rateLimit: defineScript({
        SCRIPT: RATE_LIMIT_LUA,
        NUMBER_OF_KEYS: 1,
        parseCommand(parser, key, limit, windowS) {
          parser.pushKey(key);
          parser.push(String(limit), String(windowS));
        },
        transformReply: (reply) => reply === 1,
      }),
    };
    const c = await ctx.nr({ ...cfg, scripts });
    const k = `nr${resp}:drate:`;
    await c.del([`${k}a`, `${k}m`]);
    await c.scriptFlush();
    // The first call's EVALSHA gets NOSCRIPT; node-redis resends it as EVAL.
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await c.rateLimit(`${k}a`, 2, 60));
    eq('4 calls, limit 2', [true, true, false, false], got);
    eq('cached by the EVAL', [1], await c.scriptExists(sha1(RATE_LIMIT_LUA)));
    // In a MULTI the first use is sent as EVAL, the next ones as EVALSHA.
    await c.scriptFlush();
    eq('multi()', [true, false, '2'],
      await c.multi().rateLimit(`${k}m`, 1, 60).rateLimit(`${k}m`, 1, 60).get(`${k}m`).exec());
    eq('execAsPipeline()', [false, '3'], await c.multi().rateLimit(`${k}m`, 1, 60).get(`${k}m`).execAsPipeline());
  });

  scenario(`${tag} pubsub - subscribe, publish, messages in order, unsubscribe`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const sub = await ctx.nr(cfg);
    const ch = `nr${resp}:chan`;
    const inbox = new Inbox();
    await sub.subscribe(ch, (message, channel) => inbox.push([channel, message]));
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await c.publish(ch, `m${i}`));
    eq('PUBLISH receiver counts', [1, 1, 1], counts);
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await inbox.next());
    eq('messages', [0, 1, 2].map((i) => [ch, `m${i}`]), got);
    eq('PUBLISH to a channel nobody hears', 0, await c.publish(`nr${resp}:nobody`, 'x'));
    await sub.unsubscribe(ch);
    eq('PUBLISH after UNSUBSCRIBE', 0, await c.publish(ch, 'late'));
    if (resp === 3) {
      // RESP3 lets a subscribed connection run ordinary commands.
      await sub.subscribe(ch, (message, channel) => inbox.push([channel, message]));
      eq('GET on a subscribed RESP3 connection', null, await sub.get(`nr${resp}:nokey`));
      eq('PUBLISH', 1, await c.publish(ch, 'again'));
      eq('message after a command', [ch, 'again'], await inbox.next());
    }
  });

  scenario(`${tag} pubsub - pSubscribe pattern`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const sub = await ctx.nr(cfg);
    const inbox = new Inbox();
    await sub.pSubscribe(`nr${resp}:news.*`, (message, channel) => inbox.push([channel, message]));
    eq('PUBLISH matching', 1, await c.publish(`nr${resp}:news.sport`, 'goal'));
    eq('PUBLISH not matching', 0, await c.publish(`nr${resp}:weather`, 'rain'));
    eq('PUBLISH matching', 1, await c.publish(`nr${resp}:news.tech`, 'chip'));
    eq('first', [`nr${resp}:news.sport`, 'goal'], await inbox.next());
    eq('second', [`nr${resp}:news.tech`, 'chip'], await inbox.next());
    await sub.pUnsubscribe(`nr${resp}:news.*`);
    eq('PUBLISH after PUNSUBSCRIBE', 0, await c.publish(`nr${resp}:news.sport`, 'late'));
  });

  scenario(`${tag} AUTH - password, username, NOAUTH, wrong password`, async (ctx) => {
    const a = await ctx.nr({ ...cfg, port: opts.authPort, password: opts.password });
    eq('PING after AUTH', 'PONG', await a.ping());
    eq('SET after AUTH', 'OK', await a.set(`nr${resp}:auth`, '1'));
    const u = await ctx.nr({ ...cfg, port: opts.authPort, username: 'default', password: opts.password });
    eq('ACL WHOAMI', 'default', await u.sendCommand(['ACL', 'WHOAMI']));
    if (resp === 2) {
      const n = await ctx.nr({ ...cfg, port: opts.authPort });
      await rejects('GET without AUTH', n.get(`nr${resp}:auth`), /^NOAUTH Authentication required/);
    } else {
      // HELLO 3 without AUTH is refused, so the connect itself fails.
      await rejects('connect without a password', ctx.nr({ ...cfg, port: opts.authPort }), /NOAUTH/);
    }
    await rejects('connect with a wrong password', ctx.nr({ ...cfg, port: opts.authPort, password: 'wrong' }),
      /WRONGPASS invalid username-password pair/);
  });

  scenario(`${tag} client name, CLIENT INFO and HELLO`, async (ctx) => {
    const c = await ctx.nr({ ...cfg, name: `nr-test-${resp}` });
    eq('CLIENT GETNAME', `nr-test-${resp}`, await c.clientGetName());
    const info = await c.sendCommand(['CLIENT', 'INFO']);
    ok(`CLIENT INFO says resp=${resp}: ${info}`, String(info).includes(` resp=${resp}`));
    let hello = await c.sendCommand(['HELLO', String(resp)]);
    if (hello instanceof Map) hello = Object.fromEntries(hello);
    if (Array.isArray(hello)) {
      const o = {};
      for (let i = 0; i + 1 < hello.length; i += 2) o[hello[i]] = hello[i + 1];
      hello = o;
    }
    eq('HELLO proto', resp, hello.proto);
    eq('HELLO server', 'redis', hello.server);
    ok('INFO has redis_version', (await c.info('server')).includes('redis_version:'));
  });
}

// ===========================================================================
// ioredis

const IO = `ioredis ${IOREDIS_VERSION}`;

scenario(`${IO} ready check - connect waits for INFO with loading:0`, async (ctx) => {
  const c = await ctx.io();
  eq('status after connect()', 'ready', c.status);
  const info = await c.info('persistence');
  ok(`INFO persistence has loading:0: ${fmt(info)}`, /(^|\r\n)loading:0\r\n/.test(info));
  eq('PING', 'PONG', await c.ping());
  // The ready event fires for a client that connects on its own too.
  const auto = new Redis({ host: opts.host, port: opts.port, connectTimeout: CONNECT_MS, retryStrategy: () => null });
  auto.on('error', () => {});
  ctx.closers.push(() => auto.disconnect());
  await new Promise((resolve, reject) => {
    auto.once('ready', resolve);
    auto.once('end', () => reject(new Error('connection ended before ready')));
  });
  eq('GET', null, await auto.get('io:none'));
});

scenario(`${IO} commands - strings, counters, expiry and key commands`, async (ctx) => {
  const c = await ctx.io();
  eq('SET', 'OK', await c.set('io:s', 'hello'));
  eq('GET', 'hello', await c.get('io:s'));
  eq('APPEND', 11, await c.append('io:s', ' world'));
  eq('GETRANGE', 'world', await c.getrange('io:s', 6, -1));
  eq('SET NX on existing', null, await c.set('io:s', 'x', 'NX'));
  eq('SET GET', 'hello world', await c.set('io:s', 'new', 'GET'));
  eq('INCR', 1, await c.incr('io:n'));
  eq('INCRBY', 11, await c.incrby('io:n', 10));
  eq('MSET', 'OK', await c.mset({ 'io:a': '1', 'io:b': '2' }));
  eq('MGET', ['1', '2', null], await c.mget('io:a', 'io:b', 'io:nope'));
  eq('EXPIRE', 1, await c.expire('io:a', 100));
  const ttl = await c.ttl('io:a');
  ok(`TTL in (0, 100], got ${ttl}`, ttl > 0 && ttl <= 100);
  eq('DEL', 2, await c.del('io:a', 'io:b', 'io:nope'));
  await rejects('INCR on a non-integer', c.incr('io:s'), /^ERR value is not an integer or out of range$/);
});

scenario(`${IO} commands - binary values with NUL and CRLF round-trip`, async (ctx) => {
  const c = await ctx.io();
  const value = Buffer.concat([Buffer.from('a\0b\r\nc\xff', 'latin1'), randomBytes(100000), Buffer.from('\r\n')]);
  const key = Buffer.from('io:bin\0\r\n');
  eq('SET', 'OK', await c.set(key, value));
  const got = await c.getBuffer(key);
  ok(`getBuffer returned ${got && got.length} bytes, want ${value.length} equal ones`, Buffer.isBuffer(got) && got.equals(value));
});

scenario(`${IO} pipeline() - 1000 commands, [err, reply] pairs, an error in place`, async (ctx) => {
  const c = await ctx.io();
  const p = c.pipeline();
  for (let i = 0; i < 500; i++) p.set(`io:p:${i}`, String(i));
  for (let i = 0; i < 500; i++) p.get(`io:p:${i}`);
  const res = await p.exec();
  eq('replies', 1000, res.length);
  ok('no errors', res.every(([err]) => err === null));
  eq('GET replies', [...Array(500).keys()].map(String), res.slice(500).map(([, v]) => v));
  const r2 = await c.pipeline().set('io:p:s', 'x').incr('io:p:s').get('io:p:s').exec();
  eq('first', [null, 'OK'], r2[0]);
  ok(`second is an error: ${fmt(r2[1][0])}`, r2[1][0] instanceof Error);
  eq('third', [null, 'x'], r2[2]);
});

scenario(`${IO} autopipelining - 1000 concurrent commands batched`, async (ctx) => {
  const c = await ctx.io({ enableAutoPipelining: true });
  const res = await Promise.all([...Array(1000).keys()].map((i) => c.set(`io:ap:${i}`, String(i))));
  eq('SET replies', Array(1000).fill('OK'), res);
  eq('MGET', ['0', '999'], await c.mget('io:ap:0', 'io:ap:999'));
});

scenario(`${IO} multi() - MULTI/EXEC results, an error inside EXEC`, async (ctx) => {
  const c = await ctx.io();
  await c.del('io:t:n');
  eq('EXEC', [[null, 1], [null, 2], [null, 'OK'], [null, 'v']],
    await c.multi().incr('io:t:n').incr('io:t:n').set('io:t:s', 'v').get('io:t:s').exec());
  const res = await c.multi().set('io:t:s', 'abc').incr('io:t:s').get('io:t:s').exec();
  eq('SET', [null, 'OK'], res[0]);
  ok(`INCR error: ${fmt(res[1])}`, res[1][0] instanceof Error && /not an integer/.test(res[1][0].message));
  eq('GET', [null, 'abc'], res[2]);
});

scenario(`${IO} watch() - optimistic increment retried while another connection interferes`, async (ctx) => {
  const c = await ctx.io();
  const other = await ctx.io();
  await c.set('io:w', '0');
  let attempts = 0;
  for (;;) {
    attempts++;
    await c.watch('io:w');
    const cur = Number(await c.get('io:w'));
    if (attempts <= 2) await other.incrby('io:w', 100);
    const res = await c.multi().set('io:w', String(cur + 1)).exec();
    if (res !== null) break; // null: EXEC aborted by WATCH
    if (attempts > 10) throw new Error('no success in 10 attempts');
  }
  eq('attempts', 3, attempts);
  eq('value', '201', await c.get('io:w'));
});

scenario(`${IO} scanStream - 1000 keys, each seen once`, async (ctx) => {
  const c = await ctx.io();
  const p = c.pipeline();
  for (let i = 0; i < 1000; i++) p.set(`io:scan:${i}`, String(i));
  await p.exec();
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const s = c.scanStream({ match: 'io:scan:*', count: 100 });
    s.on('data', (keys) => keys.forEach((k) => seen.add(k)));
    s.on('end', resolve);
    s.on('error', reject);
  });
  eq('distinct keys', 1000, seen.size);
  eq('DEL', 1000, await c.del(...seen));
});

scenario(`${IO} cache-aside - miss, set with TTL, hit, expiry observed`, async (ctx) => {
  const c = await ctx.io();
  let loads = 0;
  const load = () => {
    loads++;
    return 'alice';
  };
  const get = cacheAside((k) => c.get(k), (k, v, px) => c.set(k, v, 'PX', px));
  eq('first read', ['alice', false], await get('io:cache:user', load, 60000));
  eq('second read', ['alice', true], await get('io:cache:user', load, 60000));
  eq('SET EX', 'OK', await c.set('io:cache:ex', 'v', 'EX', 100));
  await get('io:cache:short', load, 100);
  eq('expired after PX 100', null, await waitGone((k) => c.get(k), 'io:cache:short', 3000));
  eq('loads', 2, loads);
});

scenario(`${IO} 8 connections x 500 concurrent INCR, exact total`, async (ctx) => {
  const clients = await Promise.all([...Array(8)].map(() => ctx.io()));
  await clients[0].del('io:conc:n');
  await Promise.all(clients.map((cl) => Promise.all([...Array(500)].map(() => cl.incr('io:conc:n')))));
  eq('total', '4000', await clients[0].get('io:conc:n'));
});

scenario(`${IO} lock - SET NX PX acquire, WATCH/MULTI compare-and-delete release`, async (ctx) => {
  const c = await ctx.io();
  const k = 'io:lock';
  const tryAcquire = async (cl, ttl) => {
    const token = randomBytes(8).toString('hex');
    return (await cl.set(k, token, 'PX', ttl, 'NX')) === 'OK' ? token : null;
  };
  const release = async (cl, token) => {
    for (let i = 0; i < 10; i++) {
      await cl.watch(k);
      if ((await cl.get(k)) !== token) {
        await cl.unwatch();
        return false;
      }
      const r = await cl.multi().del(k).exec();
      if (r !== null) return r[0][1] === 1;
    }
    return false;
  };
  await c.del(k);
  const token = await tryAcquire(c, 5000);
  ok('acquired', token !== null);
  eq('second acquire fails', null, await tryAcquire(c, 5000));
  eq('release with a wrong token', false, await release(c, 'not-mine'));
  eq('release', true, await release(c, token));
  eq('gone', null, await c.get(k));
  const clients = await Promise.all([...Array(4)].map(() => ctx.io()));
  await c.set('io:lock:counter', '0');
  await Promise.all(clients.map(async (cl) => {
    for (let i = 0; i < 25; i++) {
      const deadline = Date.now() + 10000;
      let t;
      while (!(t = await tryAcquire(cl, 5000))) {
        if (Date.now() > deadline) throw new Error('lock not acquired within 10 s');
        await sleep(5);
      }
      const v = Number(await cl.get('io:lock:counter'));
      await cl.set('io:lock:counter', String(v + 1));
      if (!(await release(cl, t))) throw new Error('release failed');
    }
  }));
  eq('counter', '100', await c.get('io:lock:counter'));
});

scenario(`${IO} lock - SET NX PX acquire, Lua compare-and-delete release (defineCommand)`, async (ctx) => {
  const k = 'io:llock';
  await luaLockSteps({
    connect: async () => {
      const cl = await ctx.io();
      cl.defineCommand('unlock', { numberOfKeys: 1, lua: UNLOCK_LUA });
      return cl;
    },
    tryAcquire: async (cl, ttl) => {
      const token = randomBytes(8).toString('hex');
      return (await cl.set(k, token, 'PX', ttl, 'NX')) === 'OK' ? token : null;
    },
    release: (cl, token) => cl.unlock(k, token),
    get: (cl, key) => cl.get(key),
    set: (cl, key, v) => cl.set(key, v),
  }, k, 'io:llock:counter');
});

scenario(`${IO} defineCommand - as a method, in pipeline() and multi(), fallback after SCRIPT FLUSH`, async (ctx) => {
  const c = await ctx.io();
  c.defineCommand('rateLimit', { numberOfKeys: 1, lua: RATE_LIMIT_LUA });
  const sha = sha1(RATE_LIMIT_LUA);
  await c.del('io:rate:a', 'io:rate:p', 'io:rate:m');
  const got = [];
  for (let i = 0; i < 6; i++) got.push(await c.rateLimit('io:rate:a', 3, 60));
  eq('6 calls, limit 3', [1, 1, 1, 0, 0, 0], got);
  eq('pipeline()', [[null, 1], [null, 1], [null, 0], [null, '3']],
    await c.pipeline().rateLimit('io:rate:p', 2, 60).rateLimit('io:rate:p', 2, 60).rateLimit('io:rate:p', 2, 60)
      .get('io:rate:p').exec());
  eq('multi()', [[null, 1], [null, 0]], await c.multi().rateLimit('io:rate:m', 1, 60).rateLimit('io:rate:m', 1, 60).exec());
  // After SCRIPT FLUSH the EVALSHA gets NOSCRIPT and ioredis resends the
  // script as EVAL, alone and from a pipeline.
  eq('SCRIPT FLUSH', 'OK', await c.script('FLUSH'));
  eq('SCRIPT EXISTS after FLUSH', [0], await c.script('EXISTS', sha));
  eq('call after SCRIPT FLUSH', 0, await c.rateLimit('io:rate:a', 3, 60));
  eq('SCRIPT EXISTS after the call', [1], await c.script('EXISTS', sha));
  await c.script('FLUSH');
  eq('pipeline() after SCRIPT FLUSH', [[null, 0]], await c.pipeline().rateLimit('io:rate:p', 2, 60).exec());
  // Inside MULTI there is no fallback: Redis queues EVALSHA without looking
  // the sha up, and EXEC carries NOSCRIPT in its place.
  await c.script('FLUSH');
  const res = await c.multi().rateLimit('io:rate:m', 1, 60).get('io:rate:m').exec();
  ok(`NOSCRIPT inside EXEC: ${fmt(res)}`, res[0][0] instanceof Error && res[0][0].message === NOSCRIPT_ERROR);
  eq('the rest of EXEC', [null, '2'], res[1]);
  eq('a plain call loads it again', 0, await c.rateLimit('io:rate:m', 1, 60));
  await rejects('evalsha of an unknown sha', c.evalsha('0'.repeat(40), 0), /^NOSCRIPT No matching script\. Please use EVAL\.$/);
  eq('eval with keys and arguments', ['io:x', 'io:y', 'a1', 'a2', 2, 2], await c.eval(KEYS_ARGV_LUA, 2, 'io:x', 'io:y', 'a1', 'a2'));
  eq('eval nested tables', NESTED_REPLY, await c.eval(NESTED_LUA, 0));
  await rejects('redis.error_reply', c.eval("return redis.error_reply('MYERR custom failure')", 0), /^MYERR custom failure$/);
  await c.set('io:rate:s', 'abc');
  const failed = await rejects('redis.call error', c.eval(FAILING_LUA, 1, 'io:rate:s'), /^ERR value is not an integer/);
  eq('redis.call error text', FAILING_ERROR, failed.message);
});

scenario(`${IO} pubsub - subscribe, publish, message events in order`, async (ctx) => {
  const c = await ctx.io();
  const sub = await ctx.io();
  const inbox = new Inbox();
  sub.on('message', (channel, message) => inbox.push([channel, message]));
  eq('SUBSCRIBE count', 2, await sub.subscribe('io:chan', 'io:chan2'));
  for (let i = 0; i < 3; i++) eq('PUBLISH', 1, await c.publish('io:chan', `m${i}`));
  eq('PUBLISH to the second channel', 1, await c.publish('io:chan2', 'other'));
  const got = [];
  for (let i = 0; i < 4; i++) got.push(await inbox.next());
  eq('messages', [['io:chan', 'm0'], ['io:chan', 'm1'], ['io:chan', 'm2'], ['io:chan2', 'other']], got);
  await rejects('GET while subscribed', sub.get('io:x'), /subscriber mode|only \(P\|S\)?SUBSCRIBE|allowed in this context/i);
  await sub.unsubscribe();
  eq('PUBLISH after UNSUBSCRIBE', 0, await c.publish('io:chan', 'late'));
  eq('ordinary commands again', 'PONG', await sub.ping());
});

scenario(`${IO} pubsub - psubscribe pattern, pmessage events`, async (ctx) => {
  const c = await ctx.io();
  const sub = await ctx.io();
  const inbox = new Inbox();
  sub.on('pmessage', (pattern, channel, message) => inbox.push([pattern, channel, message]));
  eq('PSUBSCRIBE count', 1, await sub.psubscribe('io:news.*'));
  eq('PUBLISH matching', 1, await c.publish('io:news.sport', 'goal'));
  eq('PUBLISH not matching', 0, await c.publish('io:weather', 'rain'));
  eq('pmessage', ['io:news.*', 'io:news.sport', 'goal'], await inbox.next());
});

scenario(`${IO} AUTH - password, username, NOAUTH, wrong password`, async (ctx) => {
  const a = await ctx.io({ port: opts.authPort, password: opts.password });
  eq('PING after AUTH', 'PONG', await a.ping());
  const u = await ctx.io({ port: opts.authPort, username: 'default', password: opts.password });
  eq('ACL WHOAMI', 'default', await u.call('ACL', 'WHOAMI'));
  // Without a password the ready check's INFO is refused: connect() fails
  // and the error event carries the server's NOAUTH.
  const events = [];
  const failing = new Redis({ host: opts.host, port: opts.authPort, lazyConnect: true, connectTimeout: CONNECT_MS, retryStrategy: () => null });
  failing.on('error', (e) => events.push(e.message));
  ctx.closers.push(() => failing.disconnect());
  const err = await rejects('connect without a password', failing.connect(), /NOAUTH|Connection is closed/);
  ok(`NOAUTH reported: ${fmt([err.message, ...events])}`, [err.message, ...events].some((m) => /NOAUTH Authentication required/.test(m)));
  const n = await ctx.io({ port: opts.authPort, enableReadyCheck: false });
  await rejects('GET without AUTH', n.get('io:auth'), /^NOAUTH Authentication required/);
  await rejects('connect with a wrong password', ctx.io({ port: opts.authPort, password: 'wrong' }),
    /WRONGPASS invalid username-password pair|Connection is closed/);
});

scenario(`${IO} connectionName - CLIENT SETNAME on connect`, async (ctx) => {
  const c = await ctx.io({ connectionName: 'io-test' });
  eq('CLIENT GETNAME', 'io-test', await c.client('GETNAME'));
  const list = await c.client('LIST');
  ok('CLIENT LIST shows the name', / name=io-test /.test(list));
});

scenario(`${IO} RESP3`, async () => {
  throw new Skip(`ioredis ${IOREDIS_VERSION} speaks RESP2 only`);
});

// ---------------------------------------------------------------------------

async function main() {
  console.log(`# ${NR}, ${IO}, node ${process.version}`);
  const admin = new Redis({
    host: opts.host,
    port: opts.port,
    lazyConnect: true,
    connectTimeout: CONNECT_MS,
    commandTimeout: 5000,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.flushall();
  } finally {
    admin.disconnect();
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const s of scenarios) {
    if (opts.only && !s.name.includes(opts.only)) continue;
    const start = Date.now();
    try {
      await runScenario(s);
      passed++;
      console.log(`ok: ${s.name} (${((Date.now() - start) / 1000).toFixed(2)} s)`);
    } catch (e) {
      if (e instanceof Skip) {
        skipped++;
        console.log(`skip: ${s.name}: ${e.message}`);
      } else {
        failed++;
        const where = (e.stack || '').split('\n').find((l) => l.includes('test.mjs:'));
        console.log(`FAIL: ${s.name}: ${e.message}${where ? ` (${where.trim().replace(/^at .*\//, '')})` : ''}`);
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`FAIL: runner: ${e.stack || e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
