"""A local Ray for the distributed-engine tests: started once per session (it costs ~1 GB and seconds), two
CPUs and a small object store, everything it writes under a temp directory (no dashboard, no auth token under
~/.ray), and a time limit on every test so that a hang fails instead of blocking CI."""
import faulthandler
import os
import shutil
import signal
import tempfile

import pytest

TEST_SECONDS = 300  # each test (on a loaded 2-core machine the slowest takes about a minute)


@pytest.fixture(scope="session")
def ray_local():
    import ray  # test_ray.py skips without the extra; imported here so the conftest loads without it

    root = tempfile.mkdtemp(prefix="entnorm-ray-", dir="/tmp")  # short: Ray's socket paths have a length limit
    pids = os.path.join(root, "pids")
    os.makedirs(pids)
    os.environ["RAY_AUTH_MODE"] = "disabled"
    os.environ["ENTNORM_RAY_PIDS"] = pids  # inherited by the workers: each pass-1 actor leaves its pid there
    ray.init(num_cpus=2, object_store_memory=200 * 1024 * 1024, include_dashboard=False, log_to_driver=False,
             _temp_dir=os.path.join(root, "ray"), logging_level="ERROR")
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    yield pids
    ray.shutdown()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(autouse=True)
def time_limit(request):
    """TimeoutError after TEST_SECONDS (SIGALRM); if Ray does not give control back, the process is dumped and
    ended 30 s later (faulthandler), so CI fails either way."""
    def expire(signum, frame):
        raise TimeoutError(f"{request.node.name} took more than {TEST_SECONDS} s (a hang?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_SECONDS)
    faulthandler.dump_traceback_later(TEST_SECONDS + 30, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
