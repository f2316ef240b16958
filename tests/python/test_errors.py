"""Bad input raises an sgae.Error subclass (per status) carrying the
library's message; the binding's own checks raise sgae.ArgumentError."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import os

import numpy as np

import sgae
from common import raises, random_graph, run, tmpdir

G = sgae.Graph(random_graph(200, 1500, seed=1), num_nodes=200)


def test_missing_file():
    e = raises(sgae.FileError, sgae.Graph, "/nonexistent/dir/g.edges",
               contains="/nonexistent/dir/g.edges")
    assert isinstance(e, OSError) and isinstance(e, sgae.Error)
    assert e.status == 3 and e.status_name == "SGAE_E_IO"
    raises(sgae.FileError, sgae.load, "/nonexistent.edges")


def test_parse_error_names_file_and_line():
    p = os.path.join(tmpdir(), "bad.edges")
    with open(p, "w") as f:
        f.write("0 1\n1 2\n2 x\n")
    e = raises(sgae.ParseError, sgae.Graph.load, p, contains=p + ":3")
    assert isinstance(e, ValueError) and e.message == str(e)


def test_features_errors():
    d = tmpdir()
    g = os.path.join(d, "g.edges")
    with open(g, "w") as f:
        f.write("0 1\n1 2\n")
    x = os.path.join(d, "x.mtx")
    with open(x, "w") as f:
        f.write("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1.0\n")
    # edge 1 2 names node 2 but the features have 2 rows (nodes 0, 1)
    e = raises(sgae.Error, sgae.load, g, features=x, contains=g)
    assert e.status != 0


def test_unknown_format():
    raises(sgae.ArgumentError, sgae.Graph, "x.edges", format="nope", contains="nope")


def test_edge_index_checks():
    raises(sgae.ArgumentError, sgae.Graph, np.zeros((3, 4), np.int64), contains="2 x E")
    raises(sgae.ArgumentError, sgae.Graph, np.zeros((4, 2), np.int64), contains=".T")
    raises(sgae.ArgumentError, sgae.Graph, np.zeros((2, 4), np.float32), contains="integer")
    raises(sgae.ArgumentError, sgae.Graph, np.array([[0, 1, -1], [1, 2, 0]]),
           contains="pair 2 (-1, 0)")
    raises(sgae.ArgumentError, sgae.Graph, np.array([[0, 1], [1, 5]]), num_nodes=5,
           contains="pair 1 (1, 5) has a node id outside 0..4")
    raises(sgae.ArgumentError, sgae.Graph, np.array([[0], [2**40]]), contains="out of range")
    raises(TypeError, sgae.Graph, np.array([[0], [1]]), num_nodes=2.5)


def test_training_option_errors_carry_the_library_message():
    raises(sgae.ArgumentError, sgae.train, G, hidden=8, latent=16, epochs=1,
           contains="latent")
    raises(sgae.ArgumentError, sgae.train, G, val=0.5, test=0.5, epochs=1)
    raises(sgae.ArgumentError, sgae.train, G, epochs=-1, contains="epochs")
    raises(sgae.ArgumentError, sgae.train, G, dropout=1.5, epochs=1, contains="dropout")
    raises(sgae.ArgumentError, sgae.train, G, neg_ratio=0, epochs=1, contains="negative")
    raises(sgae.ArgumentError, sgae.train, G, model="vae", contains="'vgae' or 'gae'")
    raises(sgae.ArgumentError, sgae.train, G, seed=-1, contains="seed")
    raises(sgae.ArgumentError, sgae.train, G, threads=0, contains="threads")
    raises(TypeError, sgae.train, G, hidden=1.5)
    raises(TypeError, sgae.train, G, no_such_option=1)
    raises(TypeError, sgae.train, "not a graph")
    raises(sgae.ArgumentError, sgae.train, G, np.zeros((199, 3), np.float32), epochs=1,
           contains="199 rows")
    raises(sgae.ArgumentError, sgae.train, G, np.zeros(200, np.float32), contains="2-D")
    raises(sgae.ArgumentError, sgae.train, sgae.Graph(np.zeros((2, 0), np.int64),
                                                      num_nodes=3), epochs=1)
    assert "trainer" not in sgae._lib.live_objects()


def test_non_finite_features():
    for bad in (np.nan, np.inf):
        x = np.ones((200, 4), np.float32)
        x[7, 2] = bad
        raises(sgae.ArgumentError, sgae.Trainer, G, x, contains="row 7, column 2")


def test_diverging_loss_is_a_numeric_error_and_keeps_the_state():
    x = np.full((200, 4), 1e19, np.float32)
    with sgae.Trainer(G, x, epochs=5) as t:
        w0 = t.state_get("w0")
        e = raises(sgae.NumericError, t.step, contains="epoch 1")
        assert isinstance(e, ArithmeticError)
        assert t.epoch == 0 and np.array_equal(t.state_get("w0"), w0)


def test_trainer_misuse():
    t = sgae.Trainer(G, epochs=1)
    t.step()
    assert t.done
    raises(sgae.ArgumentError, t.step, contains="done")
    raises(sgae.ArgumentError, t.embeddings, "sigma")
    raises(sgae.ArgumentError, t.evaluate, "mu", "train")
    raises(sgae.ArgumentError, t.state_get, "w9", contains="w9")
    raises(sgae.ArgumentError, t.set_state, {"w0": np.zeros(3)}, contains="w0")
    raises(sgae.ArgumentError, t.set_state, {"epoch": [5]}, contains="out of range")
    t.close()
    raises(sgae.ArgumentError, t.step, contains="closed")
    g = sgae.Trainer(G, model="gae", epochs=1)
    raises(sgae.ArgumentError, g.embeddings, "logstd", contains="GAE")
    g.close()


run(globals())
