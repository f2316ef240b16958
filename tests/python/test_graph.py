"""sgae.Graph from edge_index (PyTorch Geometric's 2 x E layout, any integer
dtype, duplicates, self-loops, both directions, unsorted), from files; the
id map; the CSR views; write/read round trips."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import gc
import os

import numpy as np

import sgae
from common import raises, random_graph, reference_csr, run, tmpdir

# a small graph with every kind of mess: both directions, a duplicate, a
# self-loop, unsorted, node 6 isolated (num_nodes 7)
MESSY = np.array([[3, 0, 1, 1, 2, 0, 4, 5, 4, 2],
                  [0, 3, 2, 2, 2, 1, 5, 4, 1, 3]])


def same_csr(g, indptr, indices):
    assert np.array_equal(g.indptr, indptr), (g.indptr, indptr)
    assert np.array_equal(g.indices, indices), (g.indices, indices)


def test_messy_edge_index_every_dtype():
    indptr, indices, e = reference_csr(7, MESSY)
    for dt in (np.int8, np.uint8, np.int16, np.int32, np.int64, np.uint32, np.uint64):
        g = sgae.Graph(MESSY.astype(dt), num_nodes=7)
        same_csr(g, indptr, indices)
        assert g.num_nodes == 7 and g.num_edges == e == 6, (g.num_nodes, g.num_edges)
        assert g.input_edges == MESSY.shape[1]
        assert g.self_loops == 1
        # 10 pairs, 1 loop, 6 distinct edges: 3 repeats (1 2 twice, 3 0 / 0 3, 5 4 / 4 5)
        assert g.duplicates == 3, g.duplicates
        assert np.array_equal(g.ids, np.arange(7))


def test_non_contiguous_and_fortran_input():
    ei = np.asfortranarray(np.concatenate([MESSY, MESSY[::-1]], axis=1).astype(np.int64))
    g = sgae.Graph.from_edge_index(ei[:, ::-1], num_nodes=7)
    same_csr(g, *reference_csr(7, MESSY)[:2])


def test_default_num_nodes_is_max_plus_one():
    g = sgae.Graph(MESSY)
    assert g.num_nodes == 6  # node 6 only exists with num_nodes=7
    g = sgae.Graph(np.zeros((2, 0), np.int64), num_nodes=5)
    assert g.num_nodes == 5 and g.num_edges == 0
    g = sgae.Graph(np.zeros((2, 0), np.int32))
    assert g.num_nodes == 0


def test_array_like_input():
    class TensorLike:  # what a CPU torch tensor offers
        def __array__(self, dtype=None):
            return MESSY.astype(np.int64)

    g = sgae.Graph(TensorLike(), num_nodes=7)
    same_csr(g, *reference_csr(7, MESSY)[:2])
    g = sgae.Graph(MESSY.tolist(), num_nodes=7)
    same_csr(g, *reference_csr(7, MESSY)[:2])


def test_random_graph_matches_numpy_reference():
    n = 3000
    ei = random_graph(n, 40000, seed=3)
    ei[:, :500] = ei[0, :500]  # 500 self-loops
    ei = np.concatenate([ei, ei[:, :7000][::-1]], axis=1)  # reversed duplicates
    indptr, indices, e = reference_csr(n, ei)
    for threads in (1, 2):
        g = sgae.Graph(ei.astype(np.int32), num_nodes=n, threads=threads)
        same_csr(g, indptr, indices)
        assert g.num_edges == e
        assert g.self_loops == int((ei[0] == ei[1]).sum())
        assert g.self_loops + g.duplicates + g.num_edges == ei.shape[1]


def test_edge_index_round_trip_and_degree():
    g = sgae.Graph(MESSY, num_nodes=7)
    both = g.edge_index()
    assert both.shape == (2, 2 * g.num_edges) and both.dtype == np.int64
    g2 = sgae.Graph(both, num_nodes=7)
    same_csr(g2, g.indptr, g.indices)
    assert g2.duplicates == g.num_edges  # every edge given in both directions
    upper = g.edge_index(both_directions=False)
    assert upper.shape == (2, g.num_edges) and np.all(upper[0] < upper[1])
    assert np.array_equal(g.degree(), [2, 3, 2, 2, 2, 1, 0])
    st = g.stats()
    assert st["nodes"] == 7 and st["edges"] == 6 and st["isolated"] == 1, st
    assert st["deg_max"] == 3
    ncomp, comp = g.components()
    # {0,1,2,3,4,5} (4-1 joins them) and {6}
    assert ncomp == 2 and np.array_equal(comp, [0, 0, 0, 0, 0, 0, 1]), (ncomp, comp)


def test_views_are_read_only_and_keep_the_graph():
    g = sgae.Graph(MESSY, num_nodes=7)
    ip = g.indptr
    assert not ip.flags.writeable
    raises(ValueError, ip.__setitem__, 0, 5)
    before = sgae._lib.live_objects().get("graph", 0)
    del g
    gc.collect()
    # the view still holds the native graph
    assert sgae._lib.live_objects().get("graph", 0) == before
    assert ip[-1] == 12
    del ip
    gc.collect()
    assert sgae._lib.live_objects().get("graph", 0) == before - 1


def test_file_ids_and_round_trips():
    d = tmpdir()
    p = os.path.join(d, "g.txt")
    with open(p, "w") as f:
        f.write("# user ids, not contiguous\n20 10\n10 5\n30 20\n5 5\n10 20\n")
    g = sgae.Graph(p)
    assert g.num_nodes == 4 and g.num_edges == 3
    assert g.self_loops == 1 and g.duplicates == 1
    ids = g.ids
    assert ids.dtype == np.uint64 and np.array_equal(ids, [5, 10, 20, 30])
    assert not ids.flags.writeable
    for name in ("g.sgr", "g.edges.zst", "g.edges.gz", "g.edges"):
        q = os.path.join(d, name)
        g.save(q)
        h = sgae.Graph.load(q)
        same_csr(h, g.indptr, g.indices)
        assert np.array_equal(h.ids, ids), (name, h.ids)
    g.save_ids(os.path.join(d, "g.ids.tsv"))
    with open(os.path.join(d, "g.ids.tsv")) as f:
        assert f.read().split("\n")[1:3] == ["5\t0", "10\t1"]


run(globals())
