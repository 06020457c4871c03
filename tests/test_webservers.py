"""The published nginx.conf and .htaccess in a real nginx and Apache httpd (Debian's
nginx-light and apache2, installed by .ci/run) on 127.0.0.1: content negotiation with
Vary: Accept, 303 for a paragraph, no hidden files. Without them these tests fail, not skip."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import pytest

from sitefixtures import free_port

NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_RAW = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def fetch(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url)
    if accept:
        req.add_header("Accept", accept)
    try:
        with _RAW.open(req, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@pytest.fixture(scope="module")
def nginx(published: tuple[Path, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"{NGINX} is missing: apt-get install nginx-light (.ci/run does)")
    site = published[0]
    work = tmp_path_factory.mktemp("nginx")
    www = work / "www"
    www.mkdir()
    shutil.copytree(site, www / "unkg")  # the base IRI's path is /unkg/
    port = free_port()
    conf = (site / "nginx.conf").read_text()
    assert "listen 127.0.0.1:8080;" in conf and "root /var/www;" in conf
    conf = conf.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{port};").replace(
        "root /var/www;", f"root {www};")
    (work / "unkg.conf").write_text(conf)
    for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / d).mkdir()
    main = f"""worker_processes 1;
daemon off;
user root;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    default_type application/octet-stream;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {work}/unkg.conf;
}}
"""
    (work / "main.conf").write_text(main)
    proc = subprocess.Popen([NGINX, "-c", str(work / "main.conf"), "-p", str(work)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            fetch(url + "/unkg/void.ttl")
            break
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode() if proc.stdout else ""
                log = (work / "error.log").read_text() if (work / "error.log").exists() else ""
                pytest.fail(f"nginx did not start: {out}\n{log}")
            time.sleep(0.1)
    try:
        yield url + "/unkg/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            fetch(url)
            return
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out = proc.stdout.read().decode() if proc.stdout else ""
                pytest.fail(f"server did not start: {out}\n{log.read_text() if log.exists() else ''}")
            time.sleep(0.1)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def apache(published: tuple[Path, Any]) -> Iterator[str]:
    if not os.access(APACHE, os.X_OK):
        pytest.fail(f"{APACHE} is missing: apt-get install apache2 (.ci/run does)")
    # Apache's workers run as www-data: the copy lives in a folder they can read
    work = Path(tempfile.mkdtemp(prefix="unkg-apache-"))
    try:
        work.chmod(0o755)
        (work / "www").mkdir()
        shutil.copytree(published[0], work / "www" / "unkg")
        for dirpath, dirs, files in os.walk(work / "www"):
            for name in dirs:
                os.chmod(os.path.join(dirpath, name), 0o755)
            for name in files:
                os.chmod(os.path.join(dirpath, name), 0o644)
        port = free_port()
        modules = "".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n"
                          for m in ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers"))
        (work / "httpd.conf").write_text(f"""ServerRoot {work}
ServerName localhost
Listen 127.0.0.1:{port}
{modules}User www-data
Group www-data
PidFile {work}/httpd.pid
ErrorLog {work}/error.log
TypesConfig /etc/mime.types
DocumentRoot {work}/www
<Directory {work}/www>
    AllowOverride FileInfo Indexes Options=Indexes,MultiViews
    Require all granted
</Directory>
""")
        proc = subprocess.Popen([APACHE, "-f", str(work / "httpd.conf"), "-D", "FOREGROUND"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/unkg/"
        _wait(proc, url + "void.ttl", work / "error.log")
        try:
            yield url
        finally:
            _stop(proc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module", params=["nginx", "apache"])
def webserver(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(request.param))


@pytest.mark.parametrize("accept,ctype,ext", [
    ("text/turtle", "text/turtle", ".ttl"),
    ("application/ld+json", "application/ld+json", ".jsonld"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html", ".html"),
    (None, "text/html", ".html"),
    ("application/ld+json, text/turtle;q=0.5", "text/turtle", ".ttl"),  # the rules ignore q-values
])
def test_webserver_negotiates(webserver: str, published: tuple[Path, Any], accept: str | None, ctype: str,
                          ext: str) -> None:
    status, headers, body = fetch(webserver + "doc/A/RES/76/145", accept)
    assert status == 200
    assert headers["content-type"].split(";")[0] == ctype
    assert "Accept" in headers.get("vary", "")
    assert body == (published[0] / f"doc/A/RES/76/145{ext}").read_bytes()


def test_webserver_serves_forms_files_and_redirects_parts(webserver: str, published: tuple[Path, Any]) -> None:
    site = published[0]
    status, headers, body = fetch(webserver + "doc/A/RES/76/145.ttl", "text/html")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    # a symbol with a dot (A/55/140/Add.1) and one beside a folder of the same name (A/55/140)
    for rel in ("doc/A/55/140/Add.1", "doc/A/55/140"):
        if (site / f"{rel}.ttl").exists():
            status, headers, body = fetch(webserver + rel, "text/turtle")
            assert status == 200 and body == (site / f"{rel}.ttl").read_bytes(), rel
    status, headers, _ = fetch(webserver + "doc/A/RES/76/145/op/1")
    assert status == 303 and headers["location"] == "https://w3id.org/unkg/doc/A/RES/76/145"
    assert fetch(webserver + "void.ttl")[0] == 200
    status, headers, body = fetch(webserver + "dumps/unkg.nq.gz")
    assert body[:2] == b"\x1f\x8b" and headers["content-type"] == "application/gzip"
    assert "content-encoding" not in headers
    assert fetch(webserver + ".htaccess")[0] == 404
    assert fetch(webserver + ".unkg-site")[0] == 404
    assert fetch(webserver + "doc/nothing")[0] == 404
