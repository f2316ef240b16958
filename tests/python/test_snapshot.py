"""Snapshots from Python are the CLI's: a run saved by Trainer.save_snapshot
and resumed by `sgae train --resume` gives the bits of the uninterrupted
run (and the other way round); sgae.Snapshot exports what `sgae export`
does; warm start matches the nodes by id; train(checkpoint=...) writes on
KeyboardInterrupt; a damaged file raises with the library's message."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import json
import os

import numpy as np

import sgae
from common import CORA_EDGES, CORA_FEATURES, cli, raises, run, tmpdir

D = tmpdir()
DS = sgae.load(CORA_EDGES, features=CORA_FEATURES)
ARGS = [CORA_EDGES, "--features", CORA_FEATURES, "--seed", "6", "-q"]


def test_python_snapshot_resumed_by_the_cli():
    full = sgae.train(DS.graph, DS.features, epochs=16, seed=6)
    snap = os.path.join(D, "py.snap")
    with sgae.Trainer(DS.graph, DS.features, epochs=16, seed=6) as t:
        for _ in range(7):
            t.step()
        t.save_snapshot(snap)
        mu7 = t.embeddings("mu", copy=True)
    npy = os.path.join(D, "resumed.npy")
    j = json.loads(cli("train", *ARGS, "--epochs", "16", "--resume", snap, "--embeddings", npy,
                       "--json").stdout)
    assert j["resumed_from_epoch"] == 7
    assert np.load(npy).tobytes() == full.mu.tobytes()
    assert j["test_auc"] == full.test_auc
    with sgae.Snapshot(snap) as s:
        s.verify()
        info = s.info
        assert info["epoch"] == 7 and info["nodes"] == 2708 and info["features"] == 1433
        assert "mu" in info["sections"] and info["model"] == "vgae"
        assert s.embeddings("mu").tobytes() == mu7.tobytes()
        assert (s.ids == DS.graph.ids).all()
        out = os.path.join(D, "export.npy")
        cli("export", snap, "-o", out)
        assert np.load(out).tobytes() == s.embeddings("mu").tobytes()


def test_cli_snapshot_resumed_by_python():
    snap = os.path.join(D, "cli.snap")
    cli("train", *ARGS, "--epochs", "5", "--checkpoint", snap)
    full = sgae.train(DS.graph, DS.features, epochs=12, seed=6)
    res = sgae.train(DS.graph, DS.features, epochs=12, seed=6, resume=snap)
    assert res.resumed_from_epoch == 5
    assert res.mu.tobytes() == full.mu.tobytes() and res.test_auc == full.test_auc
    # a trainer with other options refuses the snapshot, naming what differs
    e = raises(sgae.ArgumentError, sgae.train, DS.graph, DS.features, epochs=12, seed=6,
               lr=0.02, resume=snap)
    assert "lr" in str(e), str(e)


def test_warm_start_matches_by_id():
    snap = os.path.join(D, "warm.snap")
    g = sgae.Graph(DS.graph.edge_index())
    with sgae.Trainer(g, epochs=3, seed=2) as t:
        t.run(checkpoint=snap)
    assert sgae.Snapshot(snap).info["epoch"] == 3
    # a smaller graph: nodes 0..1999 (numeric ids 0..1999 match)
    ei = g.edge_index()
    keep = (ei < 2000).all(axis=0)
    small = sgae.Graph(ei[:, keep], num_nodes=2000)
    res = sgae.train(small, epochs=2, seed=2, warm_start=snap)
    assert res.warm_start_matched_nodes == 2000


def test_checkpoint_on_keyboard_interrupt():
    snap = os.path.join(D, "int.snap")

    def stop(info):
        if info.epoch == 4:
            raise KeyboardInterrupt

    try:
        sgae.train(DS.graph, epochs=50, seed=1, checkpoint=snap, checkpoint_every=100,
                   progress=stop)
        raise AssertionError("no KeyboardInterrupt")
    except KeyboardInterrupt:
        pass
    assert sgae.Snapshot(snap).info["epoch"] == 4
    assert not os.path.exists(snap + ".1")


def test_damaged_snapshot_raises():
    snap = os.path.join(D, "py.snap")
    bad = os.path.join(D, "bad.snap")
    data = bytearray(open(snap, "rb").read())
    data[len(data) // 2] ^= 0xFF
    open(bad, "wb").write(bytes(data))
    with sgae.Snapshot(bad) as s:
        e = raises(sgae.CorruptError, s.verify)
    assert "bad.snap" in str(e), str(e)
    p = cli("info", bad, check=False)
    assert p.returncode == 1 and str(e) in p.stderr, (str(e), p.stderr)
    raises(sgae.FileError, sgae.Snapshot, os.path.join(D, "missing.snap"))
    raises(sgae.FormatError, sgae.Snapshot, CORA_EDGES)


run(globals())
