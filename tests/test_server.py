"""The index on Chroma's own server (`chroma run`, HttpClient), shared by processes."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ROOT, Settings
from bot.errors import StoreUnavailable
from evals.procs import ChromaServer
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path):
    with ChromaServer(tmp_path / "chroma").start() as s:
        yield s


@pytest.fixture
def corpus(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


def ingest_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "ingest", "--quiet", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )


def test_ingest_into_the_server_then_answer_through_it(server, corpus, guide, model, tmp_path):
    from bot.chat import Bot

    done = ingest_cli("--chroma-url", server.url, "--corpus", str(corpus), "--store", str(tmp_path / "unused"))
    assert done.returncode == 0, done.stderr
    added = re.search(r"2 files, (\d+) chunks: (\d+) added, 0 removed, 0 unchanged", done.stderr)
    assert added and added[1] == added[2] and int(added[1]) > 20, done.stderr
    assert not (tmp_path / "unused").exists()  # nothing was written beside the server
    again = ingest_cli("--chroma-url", server.url, "--corpus", str(corpus))
    assert ", 0 removed" in again.stderr and "already up to date" in again.stderr

    remote = Bot(Settings(chroma_url=server.url, corpus_dir=corpus), *model)
    # the same index as the embedded one, so every answer is the same
    assert [c.text for c in remote.retriever.chunks] == [c.text for c in guide.retriever.chunks]
    for question in ("What is shiatsu?", "Can massage help with MS fatigue?", "What's the weather?"):
        conversation = [{"role": "user", "content": question}]
        assert remote.answer(conversation) == guide.answer(conversation)


def test_the_bot_reloads_when_another_process_changes_the_index(server, corpus, model):
    from bot.chat import Bot
    from ingest.index import build

    settings = Settings(chroma_url=server.url, corpus_dir=corpus, index_check_seconds=0)
    build(settings, *model, progress=False)
    remote = Bot(settings, *model)
    assert remote.refresh() is False  # nothing changed
    path = corpus / "massage-and-bodywork-for-ms.md"
    path.write_text(path.read_text().replace("kneading, and friction.", "kneading, tapping, and friction."))
    done = ingest_cli("--chroma-url", server.url, "--corpus", str(corpus))  # another process
    assert done.returncode == 0, done.stderr
    reply = remote.answer([{"role": "user", "content": "What is Swedish massage?"}])
    assert "tapping" in reply.text  # BM25 and the chunks were rebuilt from the store
    assert any("tapping" in c.text for c in remote.retriever.chunks)


def test_a_stopped_server_gets_a_clear_message_and_the_next_question_is_answered(server, corpus, model):
    from app import STORE_DOWN, ask
    from bot.chat import Bot
    from ingest.index import build

    settings = Settings(chroma_url=server.url, corpus_dir=corpus, index_check_seconds=0)
    build(settings, *model, progress=False)
    remote = Bot(settings, *model)
    chat, conversation, box, status = ask(remote, "What is shiatsu?", [])
    assert "preventing conditions" in chat[-1]["content"] and status == ""

    server.stop()  # mid-conversation
    with pytest.raises(StoreUnavailable, match=f"{server.url} is not answering.*chroma run"):
        remote.answer([{"role": "user", "content": "What is acupressure?"}])
    chat2, conversation2, box, status = ask(remote, "What is acupressure?", conversation)
    assert status == STORE_DOWN and box == "What is acupressure?"  # nothing lost
    assert conversation2 == conversation
    # the safety layer needs no store: a condition is still sent to the doctor
    chat3, conversation3, _, _ = ask(remote, "I'm pregnant, is massage OK?", conversation)
    assert conversation3[-1]["route"] == "ask_doctor"

    server.start()  # back, same folder and port
    chat4, conversation4, box, status = ask(remote, "What is acupressure?", conversation)
    assert "originated from acupuncture" in chat4[-1]["content"] and status == "" and box == ""


@pytest.mark.parametrize(
    "url, message",
    [
        ("localhost:8000", "must be a server's address such as http://127.0.0.1:8000"),
        ("ftp://127.0.0.1:8000", "must be a server's address"),
        ("http://127.0.0.1:8000/some/path", "must be a server's address"),
        ("http://127.0.0.1:1", "Cannot reach a Chroma server at http://127.0.0.1:1. Start it with `chroma run"),
    ],
)
def test_a_bad_or_dead_server_address_says_what_to_do(model, url, message):
    from bot.chat import Bot

    with pytest.raises(StoreUnavailable, match=message.replace("(", r"\(").replace(".", r"\.")):
        Bot(Settings(chroma_url=url), *model)


def test_an_empty_server_says_how_to_ingest_into_it(server, model):
    from bot.chat import Bot
    from bot.errors import IndexMissing

    with pytest.raises(IndexMissing, match=f"python -m ingest --chroma-url {server.url}"):
        Bot(Settings(chroma_url=server.url), *model)


def test_cli_with_a_dead_server_says_so_without_a_traceback():
    env = {**os.environ, "MSGUIDE_CHROMA_URL": "http://127.0.0.1:1"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "What is shiatsu?"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )
    assert done.returncode == 1
    assert "Error: Cannot reach a Chroma server at http://127.0.0.1:1" in done.stderr
    assert "Traceback" not in done.stderr


def test_rebuild_on_a_server_empties_its_collection_first(server, corpus):
    first = ingest_cli("--chroma-url", server.url, "--corpus", str(corpus))
    again = ingest_cli("--chroma-url", server.url, "--corpus", str(corpus), "--rebuild")
    assert again.returncode == 0, again.stderr
    added = first.stderr.split(" added")[0].rsplit(" ", 1)[-1]
    assert f"{added} added, 0 removed, 0 unchanged" in again.stderr


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_the_readmes_nginx_configuration_keeps_each_user_on_one_process(server, corpus, tmp_path):
    """Two apps on one Chroma server behind the README's nginx block, word for word."""
    from gradio_client import Client

    from evals.procs import App, free_port, wait_for

    if not Path(NGINX).is_file():
        pytest.fail("nginx is missing: `make test` installs Debian's nginx")
    assert ingest_cli("--chroma-url", server.url, "--corpus", str(corpus)).returncode == 0
    block = re.search(r"```nginx\n(.*?)```", (ROOT / "README.md").read_text(), re.S)[1]
    env = {"MSGUIDE_CHROMA_URL": server.url, "GRADIO_TEMP_DIR": str(tmp_path / "gradio")}
    with App(env) as first, App(env) as second:
        port = free_port()
        block = (block.replace("127.0.0.1:7861", f"127.0.0.1:{first.port}")
                 .replace("127.0.0.1:7862", f"127.0.0.1:{second.port}")
                 .replace("listen 80;", f"listen 127.0.0.1:{port};"))
        (tmp_path / "nginx.conf").write_text(
            f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
            f"events {{}}\nhttp {{ access_log off; client_body_temp_path {tmp_path}/body;"
            f" proxy_temp_path {tmp_path}/proxy;\n{block}}}\n"
        )
        proxy = subprocess.Popen([NGINX, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)])
        try:
            wait_for(f"http://127.0.0.1:{port}/", proxy, 30)
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            client.predict(message="My wife has osteoporosis.", api_name="/ask")
            chat, _, status = client.predict(message="Would a back rub help her?", api_name="/ask")
            # the second turn reached the process holding the first: the condition applies
            assert "banner doctor" in str(chat[-1]["content"]) and status == ""
        finally:
            proxy.terminate()
            proxy.wait(timeout=30)
