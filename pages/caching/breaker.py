"""A circuit breaker between the site and Redis: a Redis that hangs or is gone costs each
process one short wait, not one per cache call.

django-redis's IGNORE_EXCEPTIONS turns a failed cache call into a miss (a read) or a no-op (a
write), but every call still waits out the socket timeout first. An uncached page makes some
28 cache calls (the page cache, Wagtail's site root paths and renditions, ...), so a Redis
stopped rather than killed took every page to 14 s, and a dead one logged 28 tracebacks a page.

Here the first call that gets no answer opens the circuit: for `cool_down` seconds every
command this process sends to that Redis fails at once, without touching the network, and
IGNORE_EXCEPTIONS makes it a miss or a no-op as before. After the cool-down one call goes
through as a probe; the first answer closes the circuit. One warning when it opens, one info
line when Redis answers again, nothing in between.

It is redis-py's client class that django-redis is told to use (`REDIS_CLIENT_CLASS`), so it
covers every use of the default cache: the page cache, the contact form's rate limit, Wagtail's
own. An answered error (a ResponseError: out of memory, a wrong type) is an answer, not an
outage. The state is per process and per Redis server, shared by the process's threads."""

import logging
import threading
import time

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DEFAULT_COOL_DOWN = 5.0
NO_ANSWER = (RedisConnectionError, RedisTimeoutError, OSError)


class CircuitOpen(RedisConnectionError):
    """Raised instead of sending a command while the circuit is open; django-redis takes it
    for any other connection error."""


class Breaker:
    def __init__(self, server, cool_down):
        self.server = server
        self.cool_down = cool_down
        self._lock = threading.Lock()
        self._opened_at = None  # None: closed, commands go through
        self._retry_at = 0.0
        self._probing = False

    def call(self, command, *args, **kwargs):
        probe = self._admit()
        try:
            result = command(*args, **kwargs)
        except ResponseError:
            self._answered()
            raise
        except NO_ANSWER as error:
            self._failed(error)
            raise
        except BaseException:
            if probe:
                with self._lock:
                    self._probing = False
            raise
        self._answered()
        return result

    def _admit(self):
        """True if this call is the probe; CircuitOpen if it may not go at all."""
        if self._opened_at is None:
            return False
        with self._lock:
            if self._opened_at is None:
                return False
            if self._probing or time.monotonic() < self._retry_at:
                raise CircuitOpen(f"Redis at {self.server}: circuit open")
            self._probing = True
            return True

    def _failed(self, error):
        with self._lock:
            now = time.monotonic()
            first = self._opened_at is None
            if first:
                self._opened_at = now
            self._retry_at = now + self.cool_down
            self._probing = False
        if first:
            logger.warning(
                "Redis at %s did not answer (%s: %s). Going without the cache, and asking it "
                "again every %g s.",
                self.server,
                type(error).__name__,
                error,
                self.cool_down,
            )

    def _answered(self):
        if self._opened_at is None:
            return
        with self._lock:
            if self._opened_at is None:
                return
            outage = time.monotonic() - self._opened_at
            self._opened_at = None
            self._probing = False
        logger.info("Redis at %s answers again, after %.1f s without it.", self.server, outage)


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(connection_pool, cool_down):
    """The process's breaker for the server this pool connects to (any database on it)."""
    kwargs = connection_pool.connection_kwargs
    server = kwargs.get("path") or f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
    with _breakers_lock:
        if server not in _breakers:
            _breakers[server] = Breaker(server, cool_down)
        return _breakers[server]


class CircuitBreakerRedis(Redis):
    """redis-py's client with every command, and every pipeline, through the breaker.
    `cool_down` comes from django-redis's REDIS_CLIENT_KWARGS."""

    def __init__(self, *args, cool_down=DEFAULT_COOL_DOWN, **kwargs):
        super().__init__(*args, **kwargs)
        self.breaker = breaker_for(self.connection_pool, float(cool_down))

    def execute_command(self, *args, **options):
        return self.breaker.call(super().execute_command, *args, **options)

    def pipeline(self, transaction=True, shard_hint=None):
        pipeline = CircuitBreakerPipeline(
            self.connection_pool, self.response_callbacks, transaction, shard_hint
        )
        pipeline.breaker = self.breaker
        return pipeline


class CircuitBreakerPipeline(Pipeline):
    breaker = None

    def execute(self, raise_on_error=True):
        return self.breaker.call(super().execute, raise_on_error)
