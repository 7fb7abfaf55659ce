"""Helpers shared by the apps' tests (no app imports another app's tests)."""

import socket
import threading

from django.db import connections


def run_at_once(count, work):
    """Start `count` threads that call work(i) together; return their results or exceptions.

    Each thread opens its own database connection and closes it when done, so the work really
    runs in `count` concurrent transactions (on PostgreSQL; SQLite serialises every write).
    """
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - collected and asserted by the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class HangingServer:
    """A TCP server on a free local port that accepts connections and never answers: a hanging
    Redis (or any service) for tests. Use as a context manager; `port` is where it listens."""

    def __init__(self):
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._socket.settimeout(0.05)
        self._held = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self._stop.is_set():
            try:
                self._held.append(self._socket.accept()[0])
            except TimeoutError:
                continue
            except OSError:  # closed
                return

    @property
    def accepted(self) -> int:
        """How many connections it has accepted (each a client's attempt)."""
        return len(self._held)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)
        self._socket.close()
        for held in self._held:
            held.close()


def redis_cache_at(location: str) -> dict:
    """CACHES for the portal's Redis backend at `location`, with the configured socket timeouts."""
    from django.conf import settings

    timeout = settings.REDIS_SOCKET_TIMEOUT
    return {
        "default": {
            "BACKEND": "core.cache.DegradingRedisCache",
            "LOCATION": location,
            "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout},
        }
    }


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free local port for tests. While `refusing` is set it
    answers every recipient with 451 (try again later), as a greylisting or overloaded server
    does; `messages` holds what it accepted (email.message.EmailMessage, headers decoded)."""

    def __init__(self, *, refusing: bool = False):
        from aiosmtpd.controller import Controller

        self.refusing = refusing
        self.messages = []
        with socket.socket() as probe:  # aiosmtpd wants a port number: find a free one
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refusing:
            return "451 4.3.0 Please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def act_for_every_city(user) -> None:
    """Give `user` a page right on the tree's root, as Wagtail's global Editors and Moderators
    have: admin lists then show every city's rows (core.cities)."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission, Page

    group, _created = Group.objects.get_or_create(name="Every city (test)")
    GroupPagePermission.objects.get_or_create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    user.groups.add(group)
