"""The app's ASGI application with cProfile on, for bench/profile_server.py only.

cProfile is switched on when Daphne imports this module; the stats are written to $BENCH_PROFILE
when the process receives SIGUSR1; SIGUSR2 starts it afresh (what came before is dropped). On Python 3.12+ cProfile sees every thread of the process, so
the ORM work of sync_to_async's worker threads is in the profile too.
"""

import cProfile
import os
import signal

from config.asgi import application  # noqa: F401 - what Daphne serves

_profile = cProfile.Profile()


def _dump(signum, frame) -> None:
    _profile.disable()
    _profile.dump_stats(os.environ["BENCH_PROFILE"])


def _restart(signum, frame) -> None:
    global _profile
    _profile.disable()
    _profile = cProfile.Profile()
    _profile.enable()


signal.signal(signal.SIGUSR1, _dump)
signal.signal(signal.SIGUSR2, _restart)
_profile.enable()
