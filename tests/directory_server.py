"""A real OpenLDAP server (Debian's slapd) for the directory sign-in tests: started as the current user on a free
loopback port in a temporary folder, with an mdb database loaded by slapadd, and stopped afterwards."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
BASE_DN = "dc=tinh,dc=gov,dc=vn"
PEOPLE_DN = f"ou=people,{BASE_DN}"
SERVICE_DN = f"cn=chiso,ou=service,{BASE_DN}"
SERVICE_PASSWORD = "Dich-vu-chiso-2026"


@dataclass(frozen=True)
class DirectoryPerson:
    uid: str
    given_name: str
    family_name: str
    mail: str
    password: str


# Two civil servants of the province with directory passwords (and a third found by e-mail, see the tests).
PEOPLE = (
    DirectoryPerson("hoa.nguyen", "Hoa", "Nguyễn Thị", "hoa.nguyen@tinh.gov.vn", "Thu-muc-Hoa-2026"),
    DirectoryPerson("tuan.tran", "Minh Tuấn", "Trần", "tuan.tran@tinh.gov.vn", "Thu-muc-Tuan-2026"),
    DirectoryPerson("binh.le", "Văn Bình", "Lê", "binh.le@tinh.gov.vn", "Thu-muc-Binh-2026"),
)

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile {folder}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{base}"
directory {folder}/data
# As a province's directory would: passwords are only compared, and only signed-in accounts may search.
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"""


@dataclass(frozen=True)
class DirectoryServer:
    uri: str
    process: subprocess.Popen[bytes]


def ssha(password: str) -> str:
    """The {SSHA} form slapd compares against (salted SHA-1), so no clear password is stored."""
    salt = os.urandom(8)
    return "{SSHA}" + base64.b64encode(hashlib.sha1(password.encode() + salt).digest() + salt).decode()


def ldif_line(attribute: str, value: str) -> str:
    if value.isascii():
        return f"{attribute}: {value}"
    return f"{attribute}:: {base64.b64encode(value.encode()).decode()}"  # LDIF carries UTF-8 in base64


def ldif_entries() -> str:
    entries = [
        [f"dn: {BASE_DN}", "objectClass: dcObject", "objectClass: organization", "dc: tinh",
         ldif_line("o", "UBND tỉnh")],
        [f"dn: {PEOPLE_DN}", "objectClass: organizationalUnit", "ou: people"],
        [f"dn: ou=service,{BASE_DN}", "objectClass: organizationalUnit", "ou: service"],
        [f"dn: {SERVICE_DN}", "objectClass: person", "cn: chiso", "sn: chiso",
         f"userPassword: {ssha(SERVICE_PASSWORD)}"],
    ]
    for person in PEOPLE:
        entries.append([f"dn: uid={person.uid},{PEOPLE_DN}", "objectClass: inetOrgPerson", f"uid: {person.uid}",
                        ldif_line("cn", f"{person.family_name} {person.given_name}"),
                        ldif_line("sn", person.family_name), ldif_line("givenName", person.given_name),
                        f"mail: {person.mail}", f"userPassword: {ssha(person.password)}"])
    return "\n\n".join("\n".join(lines) for lines in entries) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_directory(folder: Path) -> DirectoryServer:
    (folder / "data").mkdir()
    config = folder / "slapd.conf"
    config.write_text(CONFIG.format(folder=folder, base=BASE_DN))
    (folder / "entries.ldif").write_text(ldif_entries(), encoding="utf-8")
    subprocess.run([str(SLAPADD), "-q", "-f", str(config), "-l", str(folder / "entries.ldif")], check=True,
                   capture_output=True)
    port = free_port()
    # -d 0 keeps slapd in the foreground (no daemon to hunt down), logging nothing.
    process = subprocess.Popen([str(SLAPD), "-f", str(config), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_until_listening(process, port)
    return DirectoryServer(uri=f"ldap://127.0.0.1:{port}", process=process)


def wait_until_listening(process: subprocess.Popen[bytes], port: int, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd stopped at start: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"slapd did not listen on port {port} within {seconds} s")


def stop_directory(server: DirectoryServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
