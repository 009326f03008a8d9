"""A hang guard for tests: fail (instead of hanging CI) if the test runs longer than a generous bound.

Not a performance assertion: the bound is minutes-scale slack that only an infinite loop or a stuck lock
reaches. Unix only (SIGALRM in the main thread); elsewhere the test runs unguarded."""
import functools
import signal
import threading


class Hung(AssertionError):
    pass


def hang_guard(seconds: float):
    def decorate(test):
        @functools.wraps(test)
        def run(*args, **kwargs):
            if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
                return test(*args, **kwargs)

            def expired(signum, frame):
                raise Hung(f"{test.__name__} still running after {seconds} s (a hang?)")

            previous = signal.signal(signal.SIGALRM, expired)
            signal.setitimer(signal.ITIMER_REAL, seconds)
            try:
                return test(*args, **kwargs)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
        return run
    return decorate
