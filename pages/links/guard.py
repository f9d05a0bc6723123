"""The link checker stays outside: it never connects to this machine, a private network or a
cloud's metadata service, whatever address an editor types or a redirect leads to. Otherwise
anyone who may edit a link could read the internal network's answers in the link-health report.

The judgement is made where the connection is made, in the network backend under httpx: the
host name is resolved once, every address it resolves to is judged, and the connection goes to
a judged address, never to the name again, so a second DNS answer (DNS rebinding) cannot change
where it lands. TLS still names the host (SNI) and the request keeps its Host header: httpcore
takes both from the URL, not from the socket. Redirects open their connections through the same
backend, so every hop is judged."""

import asyncio
import ipaddress
import socket

import httpcore
import httpx
from django.conf import settings

NAT64 = ipaddress.ip_network("64:ff9b::/96")


class InternalAddress(Exception):
    """The link leads to an address on an internal network: it is not fetched."""

    def __init__(self, host, address):
        self.host, self.address = host, address
        super().__init__(f"{host} is {address}, an internal address")


def parse_address(text):
    """An IP address from a resolver or a URL, without brackets or an IPv6 zone; None if it is
    not one."""
    text = str(text).strip().strip("[]").split("%")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_outside(address):
    """True for an address on the public internet; False for loopback, private, link-local,
    shared (100.64/10), multicast, reserved, unspecified and documentation ranges, and for IPv6
    forms that carry such an IPv4 address (mapped, 6to4, NAT64)."""
    address = parse_address(address)
    if address is None:
        return False
    if address.version == 6:
        if address in NAT64:
            return is_outside(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        if address.sixtofour is not None:
            return is_outside(address.sixtofour)
        if address.is_site_local:
            return False
    return address.is_global and not (address.is_multicast or address.is_reserved)


async def system_resolve(host, port):
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


class Guard:
    """Which addresses the checker may connect to: those outside, plus the hosts the
    LINK_CHECKER_ALLOWED_HOSTS setting names (host names, IP addresses or networks)."""

    def __init__(self, allowed_hosts=(), resolve=system_resolve):
        self.names, self.networks = set(), []
        for entry in allowed_hosts:
            entry = entry.strip().lower().rstrip(".")
            try:
                network = ipaddress.ip_network(entry.strip("[]"), strict=False)
            except ValueError:
                self.names.add(entry)
            else:
                self.networks.append(network)
        self.resolve = resolve

    @classmethod
    def from_settings(cls, **kwargs):
        return cls(getattr(settings, "LINK_CHECKER_ALLOWED_HOSTS", ()), **kwargs)

    def permits(self, host, address):
        if host.lower().rstrip(".") in self.names:
            return True
        parsed = parse_address(address)
        if parsed is not None and any(parsed in network for network in self.networks):
            return True
        return parsed is not None and is_outside(parsed)

    async def addresses(self, host, port, timeout=None):
        """Every address `host` stands for, once judged; InternalAddress when any of them is
        internal (a name that mixes public and internal answers is refused whole)."""
        if parse_address(host) is not None:
            found = [host]
        else:
            try:
                async with asyncio.timeout(timeout):
                    found = await self.resolve(host, port)
            except TimeoutError as error:
                raise httpcore.ConnectTimeout(f"No DNS answer for {host}.") from error
            except (OSError, UnicodeError) as error:  # UnicodeError: a name IDNA refuses
                raise httpcore.ConnectError(f"DNS: {host}: {error}") from error
        if not found:
            raise httpcore.ConnectError(f"DNS: no address for {host}.")
        for address in found:
            if not self.permits(host, address):
                raise InternalAddress(host, address)
        return found


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the guard has judged, and
    checking the connected socket's peer before a byte of the request is sent."""

    def __init__(self, guard, inner=None):
        self.guard = guard
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        failure = None
        for address in await self.guard.addresses(host, port, timeout):
            try:
                stream = await self.inner.connect_tcp(
                    str(parse_address(address)),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
                continue
            peer = (stream.get_extra_info("server_addr") or ("",))[0]
            if not self.guard.permits(host, peer):
                await stream.aclose()
                raise InternalAddress(host, peer or "an unknown address")
            return stream
        raise failure

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise InternalAddress(path, "a local socket")

    async def sleep(self, seconds):
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport, whose connection pool uses the guarded backend. httpx has no
    argument for a network backend, so the pool is built here the way httpx builds it (no
    proxy: the checker ignores HTTP_PROXY and the like, which would connect elsewhere)."""

    def __init__(self, guard, limits=None):
        limits = limits or httpx.Limits()
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(guard),
        )
