"""Redis pub/sub channel layer that tells its process when its subscription was interrupted.

Pub/sub keeps nothing: while a process's subscriber connection is down (Redis restarting, a
network blip), every message published to its groups is lost for that process. redis-py then
reconnects and re-subscribes by itself, silently, so the sockets of the process would go on
with a hole in what they were sent. This layer notices the reconnection and puts one
``{"type": "layer.reconnected"}`` message on every channel of the process before anything that
arrives after it, so whoever reads those channels (the fan-out hub) can make its sockets resume
from the database (close them; clients reconnect with ``since``).
"""

import asyncio
import logging

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close
from redis.asyncio.client import PubSub

RECONNECTED = "layer.reconnected"
log = logging.getLogger(__name__)


class _PubSub(PubSub):
    """redis-py calls ``on_connect`` on every reconnection of the subscriber, never on its first connect."""

    def __init__(self, *args, on_reconnect, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.on_reconnect = on_reconnect

    async def on_connect(self, connection) -> None:
        await super().on_connect(connection)  # subscribes again to every channel and group
        self.on_reconnect()


class _Shard(RedisSingleShardConnection):
    def _ensure_redis(self) -> None:
        if self._redis is None:
            super()._ensure_redis()
            self._pubsub = _PubSub(self._redis.connection_pool, on_reconnect=self._announce)

    def _announce(self) -> None:
        layer = self.channel_layer
        log.warning("Redis subscription restored on %s: messages published meanwhile were lost here; "
                    "telling %d local channel(s)", self.host.get("address", self.host), len(layer.channels))
        message = layer.channel_layer.serialize({"type": RECONNECTED})
        for queue in list(layer.channels.values()):
            queue.put_nowait(message)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]


class ReconnectAwarePubSubChannelLayer(RedisPubSubChannelLayer):
    """``channels_redis.pubsub.RedisPubSubChannelLayer``, plus the ``layer.reconnected`` message."""

    def _get_layer(self):  # as the parent's, with the loop layer above
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)
        return layer
