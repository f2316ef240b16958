"""sgae.Trainer: stepping, evaluation, embeddings (views and copies, who owns
what), the training state (get/set, resume bit-identity), the gradient
hook, the per-call thread count, and sgae.train's result."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import gc

import numpy as np

import sgae
from common import raises, random_graph, run

N = 600
G = sgae.Graph(random_graph(N, 5000, seed=2), num_nodes=N)
X = np.random.default_rng(3).random((N, 12), dtype=np.float32)
OPTS = dict(epochs=12, seed=9, hidden=16, latent=8)


def live(kind):
    gc.collect()
    return sgae._lib.live_objects().get(kind, 0)


def test_step_evaluate_embeddings():
    with sgae.Trainer(G, X, **OPTS) as t:
        assert t.epoch == 0 and not t.done and t.epochs == 12
        info = t.step()
        assert isinstance(info, sgae.EpochInfo)
        assert info.epoch == 1 and info.epochs == 12 and np.isfinite(info.loss)
        assert 0 <= info.val_auc <= 1 and info.best_epoch == 0
        for which in ("mu", "logstd", "z", "best"):
            e = t.embeddings(which)
            assert e.shape == (N, 8) and e.dtype == np.float32, which
            assert not e.flags.writeable
        auc, ap = t.evaluate("mu", "val")
        assert 0 <= auc <= 1 and 0 <= ap <= 1
        assert t.evaluate("best", "test")[0] >= 0
        # z = mu + noise * exp(logstd) for VGAE
        assert not np.array_equal(t.z, t.mu)
        o = t.options
        assert o["model"] == "vgae" and o["self_loops"] is True  # resolved: features given
        assert abs(o["weight_decay"] - 5e-4) < 1e-12 and o["seed"] == 9


def test_gae_z_is_mu():
    with sgae.Trainer(G, model="gae", **OPTS) as t:
        t.step()
        assert np.array_equal(t.z, t.mu)
        assert t.options["self_loops"] is False and t.options["weight_decay"] == 0


def test_view_keeps_the_native_trainer_after_close():
    before = live("trainer")
    t = sgae.Trainer(G, X, **OPTS)
    t.step()
    v = t.embeddings("best")
    c = t.embeddings("best", copy=True)
    assert c.flags.writeable and np.array_equal(v, c)
    t.close()
    assert live("trainer") == before + 1  # v still reads trainer memory
    assert np.array_equal(v, c)
    del v
    assert live("trainer") == before
    raises(sgae.ArgumentError, t.embeddings, contains="closed")


def test_result_owns_its_embeddings():
    before = live("buffer")
    t = sgae.Trainer(G, X, **OPTS)
    res = t.run()
    t.close()
    assert live("trainer") == 0
    assert live("buffer") == before + 1  # res.mu owns the malloc'ed buffer
    mu = res.mu
    assert mu.flags.writeable and mu.shape == (N, 8)
    assert res.embeddings is mu
    assert res.epochs == 12 and 0 <= res.best_epoch <= 12
    assert res.history.shape == (12, 3) and np.all(np.isfinite(res.history[:, 0]))
    assert res.nodes == N and res.latent == 8 and res.features == 12
    assert res.train_edges + res.val_edges + res.test_edges == G.num_edges
    assert set(res.phase_seconds) == {"sample", "spmm", "pairs", "dense", "optim"}
    d = res.as_dict()
    assert d["test_auc"] == res.test_auc and "mu" not in d
    view = mu[10:20]
    del res, mu
    assert live("buffer") == before + 1  # a view of it keeps it
    del view
    assert live("buffer") == before


def test_train_equals_trainer_and_progress_is_called():
    seen = []
    res = sgae.train(G, X, progress=seen.append, **OPTS)
    assert [i.epoch for i in seen] == list(range(1, 13))
    with sgae.Trainer(G, X, **OPTS) as t:
        while not t.done:
            t.step()
        r2 = t.result()
    assert r2.mu.tobytes() == res.mu.tobytes() and r2.test_auc == res.test_auc
    assert np.array_equal(r2.history, res.history)
    assert [i.loss for i in seen] == list(res.history[:, 0])


def test_state_resume_is_bit_identical():
    with sgae.Trainer(G, X, dropout=0.2, **OPTS) as full:
        res_full = full.run()
    with sgae.Trainer(G, X, dropout=0.2, **OPTS) as a:
        for _ in range(5):
            a.step()
        st = a.state()
        names = [n for n, _, _ in a.state_info()]
    assert names == list(st)
    assert {"w0", "w1", "adam.m0", "adam.step", "epoch", "best.z", "history"} <= set(names)
    assert st["epoch"].dtype == np.int64 and int(st["epoch"][0, 0]) == 5
    assert st["best.z"].shape == (N, 8) and st["history"].shape == (12, 3)
    with sgae.Trainer(G, X, dropout=0.2, **OPTS) as b:
        b.set_state(st)
        assert b.epoch == 5
        res_b = b.run()
    assert res_b.mu.tobytes() == res_full.mu.tobytes()
    assert res_b.test_auc == res_full.test_auc and res_b.best_epoch == res_full.best_epoch


def test_grad_hook_sees_and_changes_gradients():
    calls = []

    def zero(epoch, grads):
        calls.append((epoch, {k: v.shape for k, v in grads.items()}))
        for g in grads.values():
            assert g.flags.writeable and g.dtype == np.float32
            g[...] = 0

    with sgae.Trainer(G, X, grad_hook=zero, **OPTS) as t:
        w0, w1 = t.state_get("w0"), t.state_get("w1")
        t.step()
        t.step()
        # zero gradients (weight decay included) leave Adam's update at 0
        assert np.array_equal(t.state_get("w0"), w0) and np.array_equal(t.state_get("w1"), w1)
        assert int(t.state_get("adam.step")[0, 0]) == 2
    assert [c[0] for c in calls] == [0, 1]
    assert calls[0][1] == {"w0": (12, 16), "w1": (16, 16)}


def test_grad_hook_exception_aborts_the_step():
    def boom(epoch, grads):
        if epoch == 1:
            raise ValueError("no step 2")

    with sgae.Trainer(G, X, grad_hook=boom, **OPTS) as t:
        t.step()
        w0 = t.state_get("w0")
        raises(ValueError, t.step, contains="no step 2")
        assert t.epoch == 1 and np.array_equal(t.state_get("w0"), w0)


def test_threads_per_call_are_restored_and_bits_equal():
    base = sgae.max_threads()
    inside = []
    r1 = sgae.train(G, X, threads=1, progress=lambda i: inside.append(sgae.max_threads()),
                    **OPTS)
    assert sgae.max_threads() == base
    # the progress callback runs between library calls: the process's setting
    assert inside == [base] * 12
    r2 = sgae.train(G, X, threads=2, **OPTS)
    r3 = sgae.train(G, X, **OPTS)
    assert r1.mu.tobytes() == r2.mu.tobytes() == r3.mu.tobytes()
    assert sgae.max_threads() == base


def test_openblas_setting_untouched():
    # every OpenBLAS copy in the process (Debian: NumPy's libblas.so.3 and
    # libsgae's libopenblas are separate copies with separate settings)
    import ctypes

    libs = []
    with open("/proc/self/maps") as f:
        paths = sorted({line.split()[-1] for line in f if "blas" in line or "lapack" in line})
    for p in paths:
        if p.startswith("/") and ".so" in p:
            lib = ctypes.CDLL(p)
            if hasattr(lib, "openblas_get_num_threads"):
                libs.append((p, lib))
    assert libs, "no OpenBLAS mapped: %s" % paths
    saved = [lib.openblas_get_num_threads() for _, lib in libs]
    try:
        for want in (1, 2):
            for _, lib in libs:
                lib.openblas_set_num_threads(want)
            sgae.train(G, X, threads=2, **OPTS)
            got = [(p, lib.openblas_get_num_threads()) for p, lib in libs]
            assert all(v == want for _, v in got), (want, got)
    finally:
        for (_, lib), v in zip(libs, saved):
            lib.openblas_set_num_threads(v)


def test_auc_ap():
    auc, ap = sgae.auc_ap([0.9, 0.8, 0.3], [0.1, 0.5])
    assert auc == 5 / 6, auc  # 0.3 < 0.5 is the only misordered pair
    assert abs(ap - (1 / 3 + 1 / 3 + (1 / 3) * 0.75)) < 1e-12, ap


run(globals())
