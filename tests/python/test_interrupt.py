"""Interrupted training stops cleanly: a KeyboardInterrupt raised by the
progress callback, or Ctrl-C (SIGINT) sent to a process in the middle of a
long run, comes out of sgae.train after the running epoch with the trainer
freed; Trainer.run interrupted and run again gives the uninterrupted bits."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import gc
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np

import sgae
from common import random_graph, run

N = 800
G = sgae.Graph(random_graph(N, 6000, seed=4), num_nodes=N)
OPTS = dict(epochs=10, seed=3, hidden=16, latent=8)


def live():
    gc.collect()
    return sgae._lib.live_objects()


def test_callback_keyboard_interrupt_frees_the_trainer():
    before = live()

    def stop(info):
        if info.epoch == 3:
            raise KeyboardInterrupt

    try:
        sgae.train(G, progress=stop, **OPTS)
    except KeyboardInterrupt:
        # freed before the handler runs: the traceback still holds the frames
        assert sgae._lib.live_objects().get("trainer", 0) == 0, sgae._lib.live_objects()
    else:
        raise AssertionError("KeyboardInterrupt did not propagate")
    assert live() == before


def test_interrupted_run_resumes_to_the_same_bits():
    ref = sgae.train(G, **OPTS)
    t = sgae.Trainer(G, **OPTS)

    def stop(info):
        if info.epoch == 4:
            raise KeyboardInterrupt

    try:
        t.run(progress=stop)
    except KeyboardInterrupt:
        pass
    assert t.epoch == 4
    res = t.run()
    t.close()
    assert res.mu.tobytes() == ref.mu.tobytes() and res.test_auc == ref.test_auc


CHILD = r"""
import gc, json, sys, time
import numpy as np
import sgae
g = sgae.Graph(np.random.default_rng(1).integers(0, 40000, (2, 300000)), num_nodes=40000)
last = [0.0]
def progress(info):
    print("epoch %d %.6f" % (info.epoch, info.elapsed - last[0]), flush=True)
    last[0] = info.elapsed
try:
    sgae.train(g, epochs=100000, neg_ratio=1, progress=progress)
    print("FINISHED", flush=True)
except KeyboardInterrupt:
    t = time.monotonic()
    gc.collect()
    print("INTERRUPTED " + json.dumps({"t": t, "live": sgae._lib.live_objects()}), flush=True)
"""


def test_sigint_stops_a_long_run_promptly():
    p = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True,
                         env=os.environ.copy())
    try:
        epoch_times = []
        for line in p.stdout:
            w = line.split()
            assert w[0] == "epoch", line
            epoch_times.append(float(w[2]))
            if int(w[1]) == 3:
                break
        # mid-epoch (the library is running): half an epoch after epoch 3
        time.sleep(0.5 * epoch_times[-1])
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        tail = [line.rstrip() for line in p.stdout]
        assert p.wait(60) == 0, p.returncode
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert tail and tail[-1].startswith("INTERRUPTED"), tail
    info = json.loads(tail[-1].split(" ", 1)[1])
    epochs_after = [l for l in tail if l.startswith("epoch")]
    # the epoch that was running finishes, then it stops
    assert len(epochs_after) <= 2, tail
    delay = info["t"] - sent
    slowest = max(epoch_times[1:] + [float(l.split()[2]) for l in epochs_after])
    print("interrupt: %.3f s after SIGINT; epochs take %.3f s" % (delay, slowest))
    assert delay < 2 * slowest + 1.0, (delay, slowest)
    assert "trainer" not in info["live"] and "buffer" not in info["live"], info["live"]


run(globals())
